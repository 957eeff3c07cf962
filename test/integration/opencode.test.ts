// The real OpenCode CLI (pinned devDependency) against the scripted model server on 127.0.0.1.
// OpenCode starts slowly (4-5 s, more under load) and retries a 500 or a refused connection 5 times
// over ~65 s with no knob: the 500 test goes through a relay that adds `retry-after-ms: 0` (which
// OpenCode honours), and the dead-server session starts in the background at the top of the file and is
// checked last, so the file takes about as long as that one session. The other tests run one by one.
import { existsSync, readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { opencodeAdapter, UNFINISHED_STREAM_LIMIT } from "../../src/harness/opencode.ts";
import type { AgentSpec, RunEnd } from "../../src/harness/types.ts";
import {
  isTitleRequest,
  type RecordedRequest,
  shellCall,
  startModelServer,
  type Turn,
} from "../kit/model-server.ts";
import { processesOf } from "../kit/processes.ts";
import {
  agentSpec,
  deadServerEnd,
  files,
  hermeticHome,
  isInstalled,
  messages,
  newRepo,
  runSession,
} from "../kit/session-kit.ts";

const installed = isInstalled("opencode");
hermeticHome("opencode", "all");

/** OpenCode's limits: a slow start; its own retries, which have no knob (`retries` is not honoured). */
const LIMITS: Partial<AgentSpec> = { timeoutMs: 90_000, idleTimeoutMs: 40_000, retries: undefined };

/**
 * A script function: title requests (longrun passes --title, so none should come) get a short text;
 * the others play `turns` in order, a tool turn's follow-up (a tool result) included.
 */
function play(turns: Turn[]) {
  let i = 0;
  return (req: RecordedRequest): Turn => {
    if (isTitleRequest(req)) return { text: "Mock title", usage: { input: 7, output: 3 } };
    return turns[i++] ?? { text: "done" };
  };
}

/** A relay in front of `upstream`: 5xx answers get `retry-after-ms: 0`; `noFinish` blanks finish reasons. */
async function relay(upstream: string, { noFinish = false } = {}) {
  const server = createServer((req, res) => {
    const up = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => {
        let body = Buffer.concat(chunks).toString("utf8");
        if (noFinish) body = body.replace(/"finish_reason":"[a-z_]+"/g, '"finish_reason":null');
        const headers = { ...r.headers, "content-length": String(Buffer.byteLength(body)) };
        delete headers["transfer-encoding"];
        res.writeHead(
          r.statusCode ?? 502,
          (r.statusCode ?? 0) >= 500 ? { ...headers, "retry-after-ms": "0" } : headers,
        );
        res.end(body);
      });
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One session against a fresh server playing `script`, behind the relay when `noFinish` or `retryAfter`. */
async function session(
  script: Turn[],
  over: Partial<AgentSpec> = {},
  { cwd = newRepo("opencode"), noFinish = false, retryAfter = false } = {},
) {
  const server = await startModelServer(play(script));
  const front = noFinish || retryAfter ? await relay(server.url, { noFinish }) : undefined;
  try {
    const out = await runSession(
      opencodeAdapter,
      agentSpec(cwd, front?.url ?? server.url, { ...LIMITS, ...over }),
    );
    return { ...out, cwd, server };
  } finally {
    await front?.close();
    await server.close();
  }
}

describe.skipIf(!installed)(
  `opencode ${installed ? "" : "(skipped: the opencode binary could not be installed here)"}`,
  () => {
    // OpenCode retries a refused connection for ~65 s, silently: run it alongside the other tests.
    let dead: Promise<{ end: RunEnd; took: number }>;
    beforeAll(() => {
      const started = Date.now();
      dead = deadServerEnd(opencodeAdapter, { ...LIMITS, timeoutMs: 150_000, idleTimeoutMs: 120_000 }).then(
        (end) => ({ end, took: Date.now() - started }),
      );
      dead.catch(() => undefined);
    });

    test("a text answer ends ok with exactly the usage the CLI reports and the script served; no key on disk", async () => {
      const { end, events, server, cwd, runId } = await session(
        [
          {
            text: "Hello from the model.",
            reasoning: "Let me think.",
            usage: { input: 1200, cachedInput: 800, output: 45, reasoning: 5 },
          },
        ],
        { apiKeyEnv: "MY_TEST_KEY", env: { MY_TEST_KEY: "sk-not-on-disk" } },
      );
      expect(end).toMatchObject({ status: "ok", exitCode: 0 });
      // --title: OpenCode makes no hidden title request, so the session is exactly the one request.
      expect(server.requests.filter(isTitleRequest)).toEqual([]);
      expect(server.requests.filter((r) => r.protocol === "chat")).toHaveLength(1);
      expect(end.usage).toEqual({
        input: 1200,
        cachedInput: 800,
        cacheWrite: 0,
        output: 45,
        reasoning: 5,
        model: "mock-model",
      });
      // ... which is the sum of what OpenCode itself printed per step (its output excludes reasoning).
      const stdout = readFileSync(
        path.join(cwd, ".longrun", "artifacts", `opencode-${runId}.stdout.log`),
        "utf8",
      );
      const steps = stdout
        .split("\n")
        .filter((l) => l.includes('"type":"step_finish"'))
        .map((l) => JSON.parse(l).part.tokens);
      expect(steps).toEqual([
        { total: 2045, input: 1200, output: 40, reasoning: 5, cache: { read: 800, write: 0 } },
      ]);
      expect(messages(events)).toEqual(["Hello from the model."]);
      expect(events.filter((e) => e.type === "reasoning")).toMatchObject([{ text: "Let me think." }]);
      expect(events[0]).toMatchObject({
        type: "run_start",
        harness: "opencode",
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
      expect(end.sessionId).toMatch(/^ses_/);
      // The key reached the server from the variable; it is nowhere under the private home.
      expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-not-on-disk");
      const home = path.join(cwd, ".longrun", "homes", "opencode");
      expect(existsSync(path.join(home, "data", "opencode", "opencode.db"))).toBe(true);
      expect(readFileSync(path.join(home, "config", "opencode", ".npmrc"), "utf8")).toContain("127.0.0.1:9");
      for (const f of files(home)) expect(readFileSync(f).includes("sk-not-on-disk"), f).toBe(false);
    }, 60_000);

    test("a tool call really writes the file; usage is summed over both requests", async () => {
      const { end, events, cwd } = await session([
        {
          ...shellCall("opencode", "echo written-by-opencode > out.txt"),
          usage: { input: 100, cachedInput: 20, output: 30, reasoning: 3 },
        },
        { text: "Done.", usage: { input: 150, cachedInput: 100, output: 12 } },
      ]);
      expect(end.status).toBe("ok");
      expect(readFileSync(path.join(cwd, "out.txt"), "utf8").trim()).toBe("written-by-opencode");
      expect(events.map((e) => e.type)).toEqual([
        "run_start",
        "tool_start",
        "tool_end",
        "usage",
        "message",
        "usage",
        "run_end",
      ]);
      expect(events.find((e) => e.type === "tool_end")).toMatchObject({ name: "bash", ok: true });
      expect(end.usage).toEqual({
        input: 250,
        cachedInput: 120,
        cacheWrite: 0,
        output: 42,
        reasoning: 3,
        model: "mock-model",
      });
    }, 60_000);

    test("--session resumes the same session with its earlier turns", async () => {
      const cwd = newRepo("opencode");
      const first = await session([{ text: "first answer" }], {}, { cwd });
      expect(first.end.status).toBe("ok");
      const again = await session(
        [{ text: "second answer" }],
        { resumeSession: first.end.sessionId },
        { cwd },
      );
      expect(again.end).toMatchObject({ status: "ok", sessionId: first.end.sessionId });
      expect(messages(again.events)).toEqual(["second answer"]);
      const history = JSON.stringify(again.server.requests[0]?.body);
      expect(history).toContain("first answer");
    }, 60_000);

    test("an HTTP 500 that outlasts the retries ends with error and the server's message", async () => {
      const fault: Turn = { fault: "http500", message: "upstream exploded" };
      const { end, server } = await session(
        Array.from({ length: 8 }, () => fault),
        {},
        { retryAfter: true },
      );
      expect(end).toMatchObject({ status: "error", exitCode: 1, reason: "upstream exploded (HTTP 500)" });
      expect(server.requests.filter((r) => r.protocol === "chat")).toHaveLength(6); // 1 + 5 retries
    }, 60_000);

    test("streams that end without a finish reason: longrun stops OpenCode's endless re-requests and says so", async () => {
      const { end, events, server } = await session([], {}, { noFinish: true });
      expect(end.status).toBe("error");
      expect(end.reason).toMatch(/without a finish reason.*longrun stopped it/);
      expect(events.filter((e) => e.type === "error").length).toBeGreaterThanOrEqual(UNFINISHED_STREAM_LIMIT);
      expect(server.requests.length).toBeLessThan(UNFINISHED_STREAM_LIMIT + 10);
    }, 60_000);

    test("a stalled stream is cut by the idle timeout within its limit, with no process left", async () => {
      // OpenCode prints nothing before the stream starts (step_start), its 4-12 s startup included:
      // the limit must cover that start. The cut is timed from step_start, OpenCode's last line.
      const { end, runId, cwd } = await session([{ fault: "stall" }], { idleTimeoutMs: 15_000 });
      expect(end).toMatchObject({
        status: "timeout",
        reason: "stopped after 15s without output (idle timeout)",
      });
      const stdout = readFileSync(
        path.join(cwd, ".longrun", "artifacts", `opencode-${runId}.stdout.log`),
        "utf8",
      );
      const lines = stdout.trim().split("\n");
      expect(lines.map((l) => JSON.parse(l).type)).toEqual(["step_start"]); // it did stall on the stream
      const silent = Date.parse(end.ts) - JSON.parse(lines[0] ?? "{}").timestamp;
      expect(silent).toBeGreaterThanOrEqual(15_000);
      expect(silent).toBeLessThan(15_000 + 5_000); // SIGTERM, SIGKILL after 3 s at worst
      expect(processesOf(runId)).toEqual([]);
    }, 60_000);

    test("a dead server ends with error (after OpenCode's ~65 s of retries)", async () => {
      const { end, took } = await dead;
      expect(end).toMatchObject({ status: "error", exitCode: 1 });
      expect(end.reason).toMatch(/^Cannot connect to API/);
      expect(took).toBeLessThan(120_000);
    }, 150_000);
  },
);
