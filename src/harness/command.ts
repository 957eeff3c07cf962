/**
 * The `command` harness: any shell command as the agent. It runs `sh -c COMMAND` in the repo with the
 * brief on stdin (then EOF) and in a file named by $LONGRUN_BRIEF, the task id in $LONGRUN_TASK_ID.
 * Exit 0 means the session ended normally. Lines of stdout that are JSON objects in the normalized event
 * shape are events; any other line is a message.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type AgentEventBody, type Usage, usageFrom } from "../core/agent-events.ts";
import { parseJsonObject } from "../core/jsonl.ts";
import { type Normalizer, runSession } from "./session.ts";
import type { Adapter, AgentSpec } from "./types.ts";

export const commandAdapter: Adapter = {
  name: "command",
  install:
    "nothing to install: any shell command (`--command 'CMD'` or harness.command in .longrun/config.yaml)",
  needs: "a command (--command or harness.command); it reads the brief on stdin or from $LONGRUN_BRIEF",
  find: async () => ({ path: "/bin/sh", version: null }),
  start(spec: AgentSpec) {
    return runSession(
      "command",
      spec,
      async () => {
        if (!spec.command?.trim())
          return { notInstalled: "the command harness needs a command (--command 'CMD' or harness.command)" };
        mkdirSync(spec.artifactsDir, { recursive: true });
        const brief = path.join(spec.artifactsDir, "brief.md");
        writeFileSync(brief, spec.prompt);
        return {
          command: "sh",
          args: ["-c", spec.command],
          env: { ...process.env, ...spec.env, LONGRUN_BRIEF: brief, LONGRUN_TASK_ID: spec.taskId ?? "" },
          stdin: spec.prompt,
          version: null,
          model: spec.model ?? null,
        };
      },
      commandNormalizer(),
    );
  },
};

/** Normalized-shape JSON lines are events; other lines are messages. */
export function commandNormalizer(): Normalizer {
  let session: Usage | undefined;
  return {
    line(line) {
      const obj = parseJsonObject(line);
      if (!obj) return [{ type: "message", text: line }];
      const body = asEvent(obj);
      if (body?.type === "usage" && body.scope === "session") session = body.usage;
      return [body ?? { type: "unknown", raw: line }];
    },
    sessionUsage: () => session,
    sessionId: () => null,
    failure: () => null,
  };
}

function asEvent(o: Record<string, unknown>): AgentEventBody | undefined {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  switch (o.type) {
    case "message":
    case "reasoning":
      return typeof o.text === "string" ? { type: o.type, text: o.text } : undefined;
    case "error":
      return typeof o.message === "string" ? { type: "error", message: o.message } : undefined;
    case "tool_start":
      return str(o.id) && str(o.name)
        ? { type: "tool_start", id: str(o.id)!, name: str(o.name)!, input: o.input ?? null }
        : undefined;
    case "tool_end":
      return str(o.id) && typeof o.ok === "boolean"
        ? {
            type: "tool_end",
            id: str(o.id)!,
            name: str(o.name) ?? null,
            ok: o.ok,
            output: str(o.output) ?? null,
          }
        : undefined;
    case "usage": {
      const usage = usageFrom(o.usage);
      const scope = o.scope === "session" ? "session" : "request";
      return usage ? { type: "usage", scope, usage } : undefined;
    }
    default:
      return undefined; // run_start and run_end belong to longrun; anything else is unknown
  }
}
