/**
 * What the dashboard's activity list shows of one journal line: a small object with one line of text,
 * or null for lines that are not worth a row (usage counts, unknown output). Pure.
 */

export interface FeedItem {
  /** Position in the run's journal (lines taken so far), so the page can order and skip repeats. */
  n: number;
  ts: string | null;
  /** `message`, `reasoning`, `tool`, `tool_end`, `error`, `steer`, `session`, `loop`. */
  kind: string;
  taskId: string | null;
  text: string;
  /** For tools: the tool's name; for loop steps: the step. */
  name: string | null;
  /** For tool ends, verify results and session ends: whether it went well. */
  ok: boolean | null;
}

const MAX_TEXT = 2000;

const clip = (s: string, max = MAX_TEXT) => (s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);

function inputSummary(input: unknown): string {
  if (input === null || input === undefined) return "";
  if (typeof input === "string") return clip(input, 300);
  if (typeof input === "object") {
    const o = input as Record<string, unknown>;
    for (const k of ["command", "cmd", "file_path", "path", "filePath", "pattern", "url", "description"]) {
      const v = o[k];
      if (typeof v === "string") return clip(v, 300);
      if (Array.isArray(v)) return clip(v.join(" "), 300);
    }
    return clip(JSON.stringify(input), 300);
  }
  return String(input);
}

function loopText(l: Record<string, unknown>): { text: string; ok: boolean | null } | null {
  const str = (k: string) => (typeof l[k] === "string" ? (l[k] as string) : "");
  switch (l.step) {
    case "open":
      return { text: l.resumed ? `run resumed (pid ${l.pid})` : `run started (pid ${l.pid})`, ok: null };
    case "iteration":
      return {
        text: `iteration ${l.n} on ${str("taskId")} (${str("kind")}${l.attempts ? `, ${l.attempts} failed before` : ""})`,
        ok: null,
      };
    case "brief": {
      const steer = Array.isArray(l.steer) ? l.steer.length : 0;
      return {
        text: `brief written (${l.bytes} bytes${steer ? `, ${steer} steering message${steer > 1 ? "s" : ""}` : ""})`,
        ok: null,
      };
    }
    case "session":
      return { text: l.resume ? `session resumed (${str("resume")})` : "session started", ok: null };
    case "session_end":
      return {
        text: `session ended: ${str("status")}${str("reason") ? ` (${str("reason")})` : ""}${l.cut ? `, cut: ${l.cut}` : ""}`,
        ok: l.status === "ok",
      };
    case "steer_sent":
      return { text: `steering sent into the session: ${clip(str("text"), 300)}`, ok: null };
    case "guard": {
      const v = Array.isArray(l.violations) ? (l.violations as { text?: string }[]) : [];
      if (!v.length) return null;
      return {
        text: `guard undid ${v.length} change(s): ${v.map((x) => x.text ?? "").join("; ")}`,
        ok: false,
      };
    }
    case "verify": {
      const results = Array.isArray(l.results) ? l.results.length : 0;
      const failure = l.failure as { summary?: string } | null;
      return {
        text: l.passed
          ? `verify passed (${results} check${results === 1 ? "" : "s"})`
          : `verify failed: ${failure?.summary ?? (l.unverifiable ? "nothing verifies the task" : "")}`,
        ok: l.passed === true,
      };
    }
    case "secrets": {
      const f = Array.isArray(l.findings) ? l.findings.length : 0;
      return f ? { text: `secret scan: ${f} finding(s), commit refused`, ok: false } : null;
    }
    case "committed":
      return { text: `checkpoint committed ${str("sha").slice(0, 10)}`, ok: true };
    case "complete":
      return { text: `${str("taskId")} complete`, ok: true };
    case "attempt_failed":
      return { text: `${str("taskId")} attempt ${l.attempts} failed`, ok: false };
    case "give_up":
      return { text: `${str("taskId")} marked failed: ${clip(str("note"), 300)}`, ok: false };
    case "pause":
      return { text: "paused", ok: null };
    case "unpause":
      return { text: "resumed after a pause", ok: null };
    case "full_verify":
      return {
        text: l.passed ? "full verification passed" : "full verification failed",
        ok: l.passed === true,
      };
    case "notify":
      return {
        text: `notify ${str("event")}: ${l.ok ? "sent" : `failed (${str("error")})`}`,
        ok: l.ok === true,
      };
    case "end":
      return {
        text: `run ended: ${str("reason")}${str("detail") ? ` (${str("detail")})` : ""}`,
        ok: l.exitCode === 0,
      };
    case "recovered":
      return { text: `recovered iteration ${l.n} after a crash`, ok: null };
    default:
      return null;
  }
}

/** The feed row of journal line `l` (number `n`), or null. */
export function feedItem(l: Record<string, unknown>, n: number): FeedItem | null {
  const ts = typeof l.ts === "string" ? l.ts : null;
  const taskId = typeof l.taskId === "string" ? l.taskId : null;
  const base = { n, ts, taskId, name: null, ok: null };
  const str = (k: string) => (typeof l[k] === "string" ? (l[k] as string) : "");
  switch (l.type) {
    case "loop": {
      const t = loopText(l);
      return t
        ? {
            ...base,
            kind: "loop",
            name: String(l.step),
            text: t.text,
            ok: t.ok,
            taskId: str("taskId") || null,
          }
        : null;
    }
    case "message":
    case "reasoning":
      return str("text").trim() ? { ...base, kind: l.type, text: clip(str("text")) } : null;
    case "steer":
      return { ...base, kind: "steer", text: clip(str("text")) };
    case "tool_start":
      return { ...base, kind: "tool", name: str("name"), text: inputSummary(l.input) };
    case "tool_end":
      return {
        ...base,
        kind: "tool_end",
        name: str("name") || null,
        ok: l.ok === true,
        text: clip(str("output"), 600),
      };
    case "error":
      return { ...base, kind: "error", text: clip(str("message")), ok: false };
    case "run_start":
      return {
        ...base,
        kind: "session",
        text: `${str("harness")} session started${str("model") ? ` (${str("model")})` : ""}`,
      };
    case "run_end":
      return {
        ...base,
        kind: "session",
        text: `${str("harness") || "agent"} session ended: ${str("status")}${str("reason") ? ` (${clip(str("reason"), 300)})` : ""}`,
        ok: l.status === "ok",
      };
    default:
      return null;
  }
}
