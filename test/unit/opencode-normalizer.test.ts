// Lines captured from `opencode run --format json` (1.18.33) stdout artifacts against the mock server.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { AgentEventBody } from "../../src/core/agent-events.ts";
import {
  opencodeConfig,
  opencodeError,
  opencodeNormalizer,
  opencodeUsage,
  opencodeVerdict,
  privateDirs,
  sessionTitle,
  UNFINISHED_STREAM_LIMIT,
} from "../../src/harness/opencode.ts";

const L = {
  stepStart:
    '{"type":"step_start","timestamp":1795696810253,"sessionID":"ses_de8213db1ffebK9acq2gkRIztt","part":{"id":"prt_217ded625001mTq2bWowLHmAgc","messageID":"msg_217decf2e0018AxOZtrAMNsTsS","sessionID":"ses_de8213db1ffebK9acq2gkRIztt","type":"step-start"}}',
  reasoning:
    '{"type":"reasoning","timestamp":1795696810264,"sessionID":"ses_de8213db1ffebK9acq2gkRIztt","part":{"id":"prt_217ded6390016fEIm0dJir4f75","messageID":"msg_217decf2e0018AxOZtrAMNsTsS","sessionID":"ses_de8213db1ffebK9acq2gkRIztt","type":"reasoning","text":"Let me think.","time":{"start":1795696809529,"end":1795696809547}}}',
  text: '{"type":"text","timestamp":1795696810264,"sessionID":"ses_de8213db1ffebK9acq2gkRIztt","part":{"id":"prt_217ded65d0018lOnHdiRSKD8YJ","messageID":"msg_217decf2e0018AxOZtrAMNsTsS","sessionID":"ses_de8213db1ffebK9acq2gkRIztt","type":"text","text":"Hello from the model.","time":{"start":1795696809565,"end":1795696809593}}}',
  finishStop:
    '{"type":"step_finish","timestamp":1795696810264,"sessionID":"ses_de8213db1ffebK9acq2gkRIztt","part":{"id":"prt_217ded6a7001ytnO2CfHW7j4mc","reason":"stop","messageID":"msg_217decf2e0018AxOZtrAMNsTsS","sessionID":"ses_de8213db1ffebK9acq2gkRIztt","type":"step-finish","tokens":{"total":2045,"input":1200,"output":40,"reasoning":5,"cache":{"write":0,"read":800}},"cost":0}}',
  toolOk:
    '{"type":"tool_use","timestamp":1795696817181,"sessionID":"ses_de8211a6bffeW5cevUEd27bdKq","part":{"type":"tool","tool":"bash","callID":"call_mock_1","state":{"status":"completed","input":{"command":"echo written-by-opencode > out.txt","description":"Run a shell command"},"output":"(no output)","metadata":{"output":"(no output)","exit":0,"truncated":false},"title":"echo written-by-opencode > out.txt","time":{"start":1795696816630,"end":1795696817103}},"id":"prt_217def1ca0013R5IzWxixwj4vb","sessionID":"ses_de8211a6bffeW5cevUEd27bdKq","messageID":"msg_217deeda5001ZfPAsHJbO79XME"}}',
  toolExit3:
    '{"type":"tool_use","timestamp":1795696693633,"sessionID":"ses_de822ffd6ffeURPzMXXKFGWjpV","part":{"type":"tool","tool":"bash","callID":"call_mock_1","state":{"status":"completed","input":{"command":"exit 3","description":"Run a shell command"},"output":"(no output)","metadata":{"output":"(no output)","exit":3,"truncated":false},"title":"exit 3","time":{"start":1795696693291,"end":1795696693553}},"id":"prt_217dd0ffb001iF1502e7sgzivc","sessionID":"ses_de822ffd6ffeURPzMXXKFGWjpV","messageID":"msg_217dd09dd0015SS6tQFCox7Ewf"}}',
  toolRejected:
    '{"type":"tool_use","timestamp":1795696540598,"sessionID":"ses_de82551a5ffeAgIDvAdtOK1heF","part":{"type":"tool","tool":"bash","callID":"call_mock_1","state":{"status":"error","input":{"command":"echo hi > /tmp/ocx/outside.txt; cat /nonexistent-dir/x","description":"Run a shell command"},"error":"The user rejected permission to use this specific tool call.","time":{"start":1795696540300,"end":1795696540499}},"id":"prt_217daba78001Xz2eu5V1lDjZwo","sessionID":"ses_de82551a5ffeAgIDvAdtOK1heF","messageID":"msg_217dab57e0019UiV13eflIbMM3"}}',
  finishTool:
    '{"type":"step_finish","timestamp":1795696817181,"sessionID":"ses_de8211a6bffeW5cevUEd27bdKq","part":{"id":"prt_217def3da001wfdSBtcHqgZNtU","reason":"tool-calls","messageID":"msg_217deeda5001ZfPAsHJbO79XME","sessionID":"ses_de8211a6bffeW5cevUEd27bdKq","type":"step-finish","tokens":{"total":150,"input":100,"output":27,"reasoning":3,"cache":{"write":0,"read":20}},"cost":0}}',
  finishUnknown:
    '{"type":"step_finish","timestamp":1795696841056,"sessionID":"ses_de820b931ffewtgIQ864YFHw0O","part":{"id":"prt_217df511b001ekEbJAip33AnIB","reason":"unknown","messageID":"msg_217df4f0f001DSl7XOfn127xMB","sessionID":"ses_de820b931ffewtgIQ864YFHw0O","type":"step-finish","tokens":{"total":110,"input":100,"output":10,"reasoning":0,"cache":{"write":0,"read":0}},"cost":0}}',
  error500: String.raw`{"type":"error","timestamp":1795696834249,"sessionID":"ses_de820d481ffegBEcq5Cs7B5Qsv","error":{"name":"APIError","data":{"message":"upstream exploded","statusCode":500,"isRetryable":true,"responseHeaders":{"connection":"keep-alive","content-length":"88","content-type":"application/json","date":"Thu, 26 Nov 2026 12:40:34 GMT","keep-alive":"timeout=5","request-id":"req_mock_6","retry-after-ms":"0","x-request-id":"req_mock_6"},"responseBody":"{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}","metadata":{"url":"http://127.0.0.1:38867/v1/chat/completions"}}}}`,
  errorDead:
    '{"type":"error","timestamp":1795696873828,"sessionID":"ses_de821403fffelCGvXK6xB3b5fv","error":{"name":"APIError","data":{"message":"Cannot connect to API: Unable to connect. Is the computer able to access the url?","isRetryable":true,"metadata":{"url":"http://127.0.0.1:34193/v1/chat/completions"}}}}',
  errorUnknown:
    '{"type":"error","timestamp":1795696571692,"sessionID":"ses_de824cf3dffeJcREOb16LYpJp3","error":{"name":"UnknownError","data":{"message":"Unexpected server error. Check server logs for details.","ref":"err_c23b2cea"}}}',
  // Printed on stdout, colours and all, when a permission is "ask" and --auto is not given.
  permission:
    "\x1b[93m\x1b[1m! \x1b[0mpermission requested: external_directory (/nonexistent-dir/*); auto-rejecting",
};

const usage = (input: number, cachedInput: number, output: number, reasoning: number) => ({
  type: "usage",
  scope: "request",
  usage: { input, cachedInput, cacheWrite: 0, output, reasoning, model: "mock-model" },
});

describe("opencode normalizer: one line each", () => {
  const cases: [string, string, AgentEventBody[]][] = [
    ["step_start: nothing", L.stepStart, []],
    ["reasoning (--thinking)", L.reasoning, [{ type: "reasoning", text: "Let me think." }]],
    ["text", L.text, [{ type: "message", text: "Hello from the model." }]],
    // OpenCode's output (40) excludes reasoning (5): ours is 45; its input already excludes cache reads.
    ["step_finish stop: request usage", L.finishStop, [usage(1200, 800, 45, 5)] as AgentEventBody[]],
    ["step_finish tool-calls", L.finishTool, [usage(100, 20, 30, 3)] as AgentEventBody[]],
    [
      "tool_use completed, exit 0: start and end",
      L.toolOk,
      [
        {
          type: "tool_start",
          id: "call_mock_1",
          name: "bash",
          input: { command: "echo written-by-opencode > out.txt", description: "Run a shell command" },
        },
        { type: "tool_end", id: "call_mock_1", name: "bash", ok: true, output: "(no output)" },
      ],
    ],
    [
      "tool_use completed with exit 3: not ok",
      L.toolExit3,
      [
        {
          type: "tool_start",
          id: "call_mock_1",
          name: "bash",
          input: { command: "exit 3", description: "Run a shell command" },
        },
        { type: "tool_end", id: "call_mock_1", name: "bash", ok: false, output: "(no output)" },
      ],
    ],
    [
      "tool_use error: not ok, the error as output",
      L.toolRejected,
      [
        {
          type: "tool_start",
          id: "call_mock_1",
          name: "bash",
          input: {
            command: "echo hi > /tmp/ocx/outside.txt; cat /nonexistent-dir/x",
            description: "Run a shell command",
          },
        },
        {
          type: "tool_end",
          id: "call_mock_1",
          name: "bash",
          ok: false,
          output: "The user rejected permission to use this specific tool call.",
        },
      ],
    ],
    ["HTTP 500 after the retries", L.error500, [{ type: "error", message: "upstream exploded (HTTP 500)" }]],
    [
      "dead server",
      L.errorDead,
      [
        {
          type: "error",
          message: "Cannot connect to API: Unable to connect. Is the computer able to access the url?",
        },
      ],
    ],
    [
      "unknown error (e.g. a model not in the config)",
      L.errorUnknown,
      [{ type: "error", message: "Unexpected server error. Check server logs for details." }],
    ],
    [
      "auto-rejected permission (plain text on stdout)",
      L.permission,
      [
        {
          type: "error",
          message: "opencode auto-rejected a permission request: external_directory (/nonexistent-dir/*)",
        },
      ],
    ],
    ["garbage", "not json at all", [{ type: "unknown", raw: "not json at all" }]],
    [
      "a JSON type we do not know",
      '{"type":"snapshot","part":{}}',
      [{ type: "unknown", raw: '{"type":"snapshot","part":{}}' }],
    ],
  ];
  test.each(cases)("%s", (_name, line, events) => {
    expect(opencodeNormalizer("mock-model").line(line)).toEqual(events);
  });
});

describe("opencode normalizer: state", () => {
  test("session id from any line; no session total (the steps are summed); error is the failure", () => {
    const n = opencodeNormalizer("mock-model");
    expect(n.sessionId()).toBeNull();
    n.line(L.stepStart);
    expect(n.sessionId()).toBe("ses_de8213db1ffebK9acq2gkRIztt");
    n.line(L.finishStop);
    expect(n.sessionUsage()).toBeUndefined();
    expect(n.failure()).toBeNull();
    n.line(L.error500);
    expect(n.failure()).toBe("upstream exploded (HTTP 500)");
  });

  test("steps that end without a finish reason are counted; the limit calls back once; a real finish resets", () => {
    let calls = 0;
    const n = opencodeNormalizer("mock-model", { onEndlessLoop: () => calls++, userStopped: () => false });
    for (let i = 1; i <= UNFINISHED_STREAM_LIMIT + 2; i++) {
      n.line(L.stepStart);
      const evs = n.line(L.finishUnknown);
      expect(evs).toEqual([
        usage(100, 0, 10, 0),
        {
          type: "error",
          message: `the model stream ended without a finish reason; opencode requests again (${i} in a row)`,
        },
      ]);
    }
    expect(calls).toBe(1);
    expect(n.unfinishedStreams()).toBe(UNFINISHED_STREAM_LIMIT + 2);
    n.line(L.stepStart);
    n.line(L.finishStop);
    expect(n.unfinishedStreams()).toBe(0);
  });

  test("a step that ran a tool is progress, even without a finish reason", () => {
    const n = opencodeNormalizer(null);
    n.line(L.stepStart);
    n.line(L.toolOk);
    expect(n.line(L.finishUnknown)).toHaveLength(1);
    expect(n.unfinishedStreams()).toBe(0);
  });
});

describe("opencode helpers", () => {
  test("usage: output gets the reasoning back; missing or bad counts are 0", () => {
    expect(opencodeUsage({ input: 5, output: 3, reasoning: 2, cache: { read: 7, write: 1 } }, "m")).toEqual({
      input: 5,
      cachedInput: 7,
      cacheWrite: 1,
      output: 5,
      reasoning: 2,
      model: "m",
    });
    expect(opencodeUsage(undefined, null)).toEqual({
      input: 0,
      cachedInput: 0,
      cacheWrite: 0,
      output: 0,
      reasoning: 0,
      model: null,
    });
  });

  test("error: the message, or the name; one line", () => {
    expect(opencodeError({ name: "MessageOutputLengthError", data: {} })).toBe("MessageOutputLengthError");
    expect(opencodeError({ name: "X", data: { message: "a\nb" } })).toBe("a b");
    expect(opencodeError(undefined)).toBe("error");
  });

  test("config: provider at the base URL with /v1 (given with or without), the key by variable name", () => {
    const spec = { cwd: "/r", prompt: "", timeoutMs: 1, idleTimeoutMs: 1, artifactsDir: "/a", model: "qwen" };
    for (const baseUrl of ["http://127.0.0.1:9", "http://127.0.0.1:9/v1/"]) {
      expect(opencodeConfig({ ...spec, baseUrl }, "KEY_VAR")).toMatchObject({
        provider: {
          longrun: {
            npm: "@ai-sdk/openai-compatible",
            options: { baseURL: "http://127.0.0.1:9/v1", apiKey: "{env:KEY_VAR}" },
            models: { qwen: { name: "qwen" } },
          },
        },
        model: "longrun/qwen",
      });
    }
  });

  test("private dirs: four XDG dirs under the home; a dead npm registry for OpenCode's own plugin installs", () => {
    const home = mkdtempSync(path.join(tmpdir(), "longrun-opencode-unit-"));
    const dirs = privateDirs(home);
    expect(dirs).toEqual({
      XDG_DATA_HOME: path.join(home, "data"),
      XDG_CONFIG_HOME: path.join(home, "config"),
      XDG_CACHE_HOME: path.join(home, "cache"),
      XDG_STATE_HOME: path.join(home, "state"),
    });
    expect(readFileSync(path.join(home, "config", "opencode", ".npmrc"), "utf8")).toBe(
      "registry=http://127.0.0.1:9/\n",
    );
  });

  test("title: the brief's first non-empty line, short", () => {
    expect(sessionTitle("\n  Fix the parser  \nmore")).toBe("Fix the parser");
    expect(sessionTitle("x".repeat(100))).toBe(`${"x".repeat(59)}…`);
    expect(sessionTitle("")).toBe("longrun session");
  });
});

describe("opencode verdict, amended", () => {
  test.each([
    [
      "stopped by the loop guard: an error that says why",
      ["killed", "stopped on request"],
      6,
      true,
      [
        "error",
        "6 model streams in a row ended without a finish reason and opencode kept requesting again: longrun stopped it (opencode would loop forever)",
      ],
    ],
    [
      "a timeout during the loop says so",
      ["timeout", "stopped after the 60m session timeout"],
      1,
      false,
      [
        "timeout",
        "stopped after the 60m session timeout; 1 model stream in a row ended without a finish reason and opencode kept requesting again",
      ],
    ],
    [
      "stopped by the user: unchanged",
      ["killed", "stopped on request"],
      2,
      false,
      ["killed", "stopped on request"],
    ],
    ["an ordinary error: unchanged", ["error", "boom"], 0, false, ["error", "boom"]],
  ] as const)("%s", (_name, [status, reason], unfinished, guard, want) => {
    expect(opencodeVerdict(status, reason, unfinished, guard)).toEqual(want);
  });

  test("the normalizer amends only a stop its own guard made", () => {
    let user = false;
    let stops = 0;
    const n = opencodeNormalizer(null, { onEndlessLoop: () => stops++, userStopped: () => user });
    const empty = JSON.stringify({ type: "step_finish", part: { reason: "unknown", tokens: {} } });
    for (let i = 0; i < UNFINISHED_STREAM_LIMIT; i++) n.line(empty);
    expect(stops).toBe(1);
    expect(n.amend?.("killed", "stopped on request")[0]).toBe("error");
    user = true;
    expect(n.amend?.("killed", "stopped on request")).toEqual(["killed", "stopped on request"]);
  });
});
