/**
 * Read a recorded request the way a script decides its next turn: the tools offered, the last
 * user text, whether the last entry is a tool result, whether it is opencode's title request.
 * Works on all three wire shapes (Responses `input`, Chat `messages`, Anthropic `messages`).
 */
import type { Protocol, RecordedRequest, ToolTurn } from "./types.ts";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Names of the tools a request body offers (Responses/Anthropic `name`, Chat `function.name`). */
export function toolNames(body: unknown): string[] {
  if (!isObj(body) || !Array.isArray(body.tools)) return [];
  return body.tools.flatMap((t) => {
    const name = isObj(t) ? (t.name ?? (isObj(t.function) ? t.function.name : undefined)) : undefined;
    return typeof name === "string" ? [name] : [];
  });
}

/** The conversation entries: Responses `input` (a string becomes one user message) or `messages`. */
function entries(req: Pick<RecordedRequest, "body" | "protocol">): Obj[] {
  if (!isObj(req.body)) return [];
  const list = req.protocol === "responses" ? req.body.input : req.body.messages;
  if (typeof list === "string") return [{ role: "user", content: list }];
  return Array.isArray(list) ? list.filter(isObj) : [];
}

/** Text of a message's content: a string, or its text / input_text blocks joined. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((b): b is Obj => isObj(b) && (b.type === "text" || b.type === "input_text"))
    .map((b) => String(b.text ?? ""))
    .join("");
}

function isToolResult(e: Obj): boolean {
  if (e.type === "function_call_output" || e.type === "custom_tool_call_output" || e.role === "tool")
    return true;
  return Array.isArray(e.content) && e.content.some((b) => isObj(b) && b.type === "tool_result");
}

/** The kind of the last entry, `system` entries skipped (Claude appends some after the user's). */
export function lastEntryKind(
  req: Pick<RecordedRequest, "body" | "protocol">,
): "user" | "toolResult" | "other" | "none" {
  const last = entries(req).findLast((e) => e.role !== "system");
  if (!last) return "none";
  if (isToolResult(last)) return "toolResult";
  return last.role === "user" ? "user" : "other";
}

/** Text of the last user message that has text (tool-result-only messages skipped). */
export function lastUserText(req: Pick<RecordedRequest, "body" | "protocol">): string {
  for (const e of entries(req).reverse()) {
    const text = e.role === "user" ? contentText(e.content) : "";
    if (text) return text;
  }
  return "";
}

/** OpenCode's hidden title-generation request: no tools, a "title generator" system prompt. */
export function isTitleRequest(req: Pick<RecordedRequest, "body" | "protocol">): boolean {
  if (!isObj(req.body) || toolNames(req.body).length > 0) return false;
  const system = entries(req).filter((e) => e.role === "system" || e.role === "developer");
  const text = [req.body.instructions, req.body.system, ...system.map((e) => contentText(e.content))];
  return text.some((t) => typeof t === "string" && /title generator/i.test(t));
}

/** Each CLI's shell tool as it offered it to the mock (HARNESSES.md); description where the schema has one. */
export const SHELL_TOOLS = {
  codex: { protocol: "responses", name: "exec_command", arg: "cmd" },
  claude: { protocol: "anthropic", name: "Bash", arg: "command" },
  opencode: { protocol: "chat", name: "bash", arg: "command" },
  pi: { protocol: "chat", name: "bash", arg: "command" },
} as const satisfies Record<string, { protocol: Protocol; name: string; arg: string }>;

/** A turn that asks `cli` to run `command` with its own shell tool. */
export function shellCall(cli: keyof typeof SHELL_TOOLS, command: string): ToolTurn {
  const tool = SHELL_TOOLS[cli];
  const args: Record<string, unknown> = { [tool.arg]: command };
  if (cli === "claude" || cli === "opencode") args.description = "Run a shell command";
  return { toolCall: { name: tool.name, arguments: args } };
}
