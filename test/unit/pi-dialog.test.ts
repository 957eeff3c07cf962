// The end-of-session decision of a steerable Pi session (RPC mode), on the line sequences Pi 0.73.1
// printed against the scripted model server (see src/harness/pi-dialog.ts).
import { describe, expect, test } from "vitest";
import { piDialog } from "../../src/harness/pi-dialog.ts";
import type { DialogStep } from "../../src/harness/session.ts";

const j = (o: Record<string, unknown>) => JSON.stringify(o);
const user = (text: string) =>
  j({ type: "message_end", message: { role: "user", content: [{ type: "text", text }] } });
const assistant = (stopReason: string) =>
  j({ type: "message_end", message: { role: "assistant", stopReason, content: [] } });
const state = (id: string, data: Record<string, unknown> = {}) =>
  j({
    id,
    type: "response",
    command: "get_state",
    success: true,
    data: { isStreaming: false, isCompacting: false, pendingMessageCount: 0, sessionId: "s", ...data },
  });

/** Feeds lines; returns every step, and the id of the last state query written. */
function feed(d: ReturnType<typeof piDialog>, lines: string[]) {
  const steps: DialogStep[] = lines.map((l) => d.line(l));
  const queries = steps.flatMap((s) => (s.write ? [JSON.parse(s.write).id as string] : []));
  return { steps, last: steps.at(-1)!, query: queries.at(-1) };
}

describe("pi dialog framing", () => {
  test("the brief: a prompt that Pi queues as steering if busy, then a get_state; one JSON line each", () => {
    const opening = piDialog().open("do the task\nwell");
    const lines = opening.split("\n");
    expect(lines.at(-1)).toBe(""); // ends in \n
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      { id: "longrun-message-1", type: "prompt", message: "do the task\nwell", streamingBehavior: "steer" },
      { id: "longrun-state", type: "get_state" },
    ]);
  });

  test("each message gets its own id; the same streaming behaviour, whether Pi is busy or idle", () => {
    const d = piDialog();
    d.open("brief");
    expect(JSON.parse(d.message("one"))).toEqual({
      id: "longrun-message-2",
      type: "prompt",
      message: "one",
      streamingBehavior: "steer",
    });
    expect(JSON.parse(d.message("two")).id).toBe("longrun-message-3");
  });
});

describe("pi dialog: when the session is over", () => {
  test("a run that ends: agent_end asks for the state; idle with every message given -> close", () => {
    const d = piDialog();
    d.open("brief");
    const { steps, query } = feed(d, [
      j({ id: "longrun-message-1", type: "response", command: "prompt", success: true }),
      j({ type: "agent_start" }),
      user("brief"),
      assistant("stop"),
      j({ type: "agent_end", messages: [] }),
    ]);
    expect(steps.slice(0, -1).every((s) => !s.write && !s.close)).toBe(true);
    expect(query).toBe("longrun-idle-1");
    expect(d.line(state("longrun-state"))).toEqual({}); // the opening query decides nothing
    expect(d.line(state("longrun-idle-1"))).toEqual({ close: true });
    expect(d.failure()).toBeNull();
  });

  test("agent_end of an attempt Pi retries (auto_retry_start follows it) does not end the session", () => {
    const d = piDialog();
    d.open("brief");
    const first = feed(d, [
      user("brief"),
      assistant("error"),
      j({ type: "agent_end", messages: [] }),
      j({ type: "auto_retry_start", attempt: 1, maxAttempts: 1, delayMs: 2000, errorMessage: "terminated" }),
    ]);
    expect(d.line(state(first.query!))).toEqual({});
    const second = feed(d, [
      j({ type: "agent_start" }),
      assistant("stop"),
      j({ type: "auto_retry_end", success: true, attempt: 1 }),
      j({ type: "agent_end", messages: [] }),
    ]);
    expect(second.query).not.toBe(first.query);
    expect(d.line(state(first.query!))).toEqual({}); // a stale answer
    expect(d.line(state(second.query!))).toEqual({ close: true });
  });

  test("a retry given up (auto_retry_end success:false) asks again, and then ends", () => {
    const d = piDialog();
    d.open("brief");
    feed(d, [user("brief"), assistant("error"), j({ type: "agent_end", messages: [] })]);
    const { last, query } = feed(d, [
      j({ type: "auto_retry_start", attempt: 1 }),
      j({ type: "auto_retry_end", success: false, attempt: 1, finalError: "500" }),
    ]);
    expect(last.write).toBeDefined();
    expect(d.line(state(query!))).toEqual({ close: true });
  });

  test("a message written after agent_end, not yet started as a run: wait for its own agent_end", () => {
    const d = piDialog();
    d.open("brief");
    const { query } = feed(d, [user("brief"), assistant("stop"), j({ type: "agent_end", messages: [] })]);
    d.message("one more thing");
    expect(d.line(state(query!))).toEqual({});
    const next = feed(d, [
      j({ type: "agent_start" }),
      user("one more thing"),
      assistant("stop"),
      j({ type: "agent_end", messages: [] }),
    ]);
    expect(d.line(state(next.query!))).toEqual({ close: true });
  });

  test("streaming or compacting: not over; compaction_end asks again", () => {
    const d = piDialog();
    d.open("brief");
    const { query } = feed(d, [user("brief"), j({ type: "agent_end", messages: [] })]);
    expect(d.line(state(query!, { isStreaming: true }))).toEqual({});
    const again = feed(d, [j({ type: "agent_end", messages: [] })]);
    expect(d.line(state(again.query!, { isCompacting: true }))).toEqual({});
    const after = feed(d, [j({ type: "compaction_end", reason: "threshold", willRetry: false })]);
    expect(d.line(state(after.query!))).toEqual({ close: true });
  });

  test("a message left in Pi's queue when its run ended (it failed): end, and say it never arrived", () => {
    const d = piDialog();
    d.open("brief");
    d.message("steer me");
    const { query } = feed(d, [
      user("brief"),
      j({ type: "queue_update", steering: ["steer me"], followUp: [] }),
      assistant("error"),
      j({ type: "agent_end", messages: [] }),
    ]);
    const step = d.line(state(query!, { pendingMessageCount: 1 }));
    expect(step.close).toBe(true);
    expect(step.events).toEqual([{ type: "error", message: expect.stringMatching(/^1 message\(s\) sent/) }]);
    expect(d.failure()).toMatch(/never reached the model/);
  });

  test("a refused message is an error and a failure, and is not waited for", () => {
    const d = piDialog();
    d.open("brief");
    const step = d.line(
      j({
        id: "longrun-message-1",
        type: "response",
        command: "prompt",
        success: false,
        error: "No API key found for anthropic.\n\nUse /login",
      }),
    );
    expect(step.events).toEqual([
      { type: "error", message: "pi refused a message: No API key found for anthropic. Use /login" },
    ]);
    expect(step.write).toBeDefined(); // nothing follows a refusal: ask whether anything is left
    expect(d.line(state(JSON.parse(step.write!).id))).toEqual({ close: true });
    expect(d.failure()).toBe("pi refused a message: No API key found for anthropic. Use /login");
  });

  test("lines that are not Pi's events, and streaming updates, change nothing", () => {
    const d = piDialog();
    d.open("brief");
    for (const l of ["", "not json", "[1]", j({ type: "message_update", message: { role: "user" } })])
      expect(d.line(l)).toEqual({});
    // A message_update is never counted as a delivered message: the brief is still pending.
    const { query } = feed(d, [j({ type: "agent_end", messages: [] })]);
    expect(d.line(state(query!))).toEqual({});
  });
});
