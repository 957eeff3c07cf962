import { describe, expect, test } from "vitest";
import {
  isTitleRequest,
  lastEntryKind,
  lastUserText,
  type Protocol,
  SHELL_TOOLS,
  shellCall,
  toolNames,
} from "./model-server.ts";

const req = (protocol: Protocol, body: unknown) => ({ protocol, body });
const toolResultClaude = {
  role: "user",
  content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }],
};

describe("reading a request the way a script decides its next turn", () => {
  test.each([
    [
      "codex, first request",
      req("responses", {
        input: [
          { type: "message", role: "developer", content: [{ type: "input_text", text: "rules" }] },
          { type: "message", role: "user", content: [{ type: "input_text", text: "make hello.txt" }] },
        ],
      }),
      "user",
      "make hello.txt",
    ],
    [
      "codex, after a tool",
      req("responses", {
        input: [
          { role: "user", content: "make hello.txt" },
          { type: "function_call", call_id: "c1" },
          { type: "function_call_output", call_id: "c1", output: "" },
        ],
      }),
      "toolResult",
      "make hello.txt",
    ],
    ["responses, input as a string", req("responses", { input: "just this" }), "user", "just this"],
    [
      "chat, first request",
      req("chat", {
        messages: [
          { role: "system", content: "sys" },
          { role: "user", content: [{ type: "text", text: "hi" }] },
        ],
      }),
      "user",
      "hi",
    ],
    [
      "chat, after a tool",
      req("chat", {
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", tool_calls: [] },
          { role: "tool", content: "ok" },
        ],
      }),
      "toolResult",
      "hi",
    ],
    [
      "claude, system entries after the user's",
      req("anthropic", {
        messages: [
          { role: "user", content: "do it" },
          { role: "system", content: "reminder" },
        ],
      }),
      "user",
      "do it",
    ],
    [
      "claude, after a tool",
      req("anthropic", {
        messages: [{ role: "user", content: "do it" }, { role: "assistant", content: [] }, toolResultClaude],
      }),
      "toolResult",
      "do it",
    ],
    ["no body", req("chat", undefined), "none", ""],
  ])("%s", (_name, r, kind, text) => {
    expect(lastEntryKind(r)).toBe(kind);
    expect(lastUserText(r)).toBe(text);
  });

  test("tool names from each wire shape; unnamed tools skipped", () => {
    expect(
      toolNames({ tools: [{ type: "function", name: "exec_command" }, { type: "web_search" }] }),
    ).toEqual(["exec_command"]);
    expect(toolNames({ tools: [{ type: "function", function: { name: "bash" } }] })).toEqual(["bash"]);
    expect(toolNames({ tools: [{ name: "Bash", input_schema: {} }] })).toEqual(["Bash"]);
    expect(toolNames("not json")).toEqual([]);
  });

  test("opencode's title request: a title-generator system prompt and no tools", () => {
    const title = {
      messages: [
        { role: "system", content: "You are a title generator. You output ONLY a thread title." },
        { role: "user", content: "hi" },
      ],
    };
    expect(isTitleRequest(req("chat", title))).toBe(true);
    expect(
      isTitleRequest(req("chat", { ...title, tools: [{ type: "function", function: { name: "bash" } }] })),
    ).toBe(false);
    expect(isTitleRequest(req("chat", { messages: [{ role: "user", content: "hi" }] }))).toBe(false);
  });

  test("shellCall names each CLI's own shell tool and argument", () => {
    expect(shellCall("codex", "ls")).toEqual({
      toolCall: { name: "exec_command", arguments: { cmd: "ls" } },
    });
    expect(shellCall("pi", "ls")).toEqual({ toolCall: { name: "bash", arguments: { command: "ls" } } });
    expect(shellCall("claude", "ls").toolCall).toMatchObject({ name: "Bash", arguments: { command: "ls" } });
    expect(Object.keys(SHELL_TOOLS)).toEqual(["codex", "claude", "opencode", "pi"]);
  });
});
