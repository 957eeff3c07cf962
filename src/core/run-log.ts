/** run-log.md: parse its events, check its shape, and insert a new event without touching other lines. */
import type { Diagnostic } from "./diagnostic.ts";

export const TAGS = ["decision", "evidence", "failure", "fix", "note"] as const;
export type Tag = (typeof TAGS)[number];

export const EVENTS_HEADING = "## Events (append-only)";
export const FOLLOW_UPS_HEADING = "## Follow-ups";

export interface LogEvent {
  /** 1-based line of the `- ` line. */
  line: number;
  /** `YYYY-MM-DD HH:MM` (UTC). */
  stamp: string;
  tag: string;
  text: string;
}

export interface ParsedLog {
  events: LogEvent[];
  /** 0-based index of the events heading line, or -1. */
  headingLine: number;
  /** 0-based index of the line after the events section's last non-blank line (where an event goes). */
  insertAt: number;
  diagnostics: Diagnostic[];
}

const EVENT_LINE = /^- (\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}) ([A-Za-z_-]+):(?: (.*))?$/;
const LOOSE_EVENT = /^[-*] /;

export function isTag(tag: string): tag is Tag {
  return (TAGS as readonly string[]).includes(tag);
}

/** Parse run-log.md text (LF line breaks; a stray `\r` is ignored). Never throws. */
export function parseRunLog(text: string, file = "run-log.md"): ParsedLog {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const diagnostics: Diagnostic[] = [];
  const problem = (
    line: number,
    col: number,
    severity: Diagnostic["severity"],
    code: string,
    message: string,
    hint: string,
  ) => diagnostics.push({ file, line, col, severity, code, message, hint });
  const headingLine = lines.findIndex((l) => /^##\s+Events\b/.test(l));
  if (text.trim() === "") {
    problem(
      1,
      1,
      "error",
      "empty-file",
      "run-log.md is empty",
      `add \`# Run log\` and \`${EVENTS_HEADING}\` (see \`longrun init\`)`,
    );
    return { events: [], headingLine: -1, insertAt: lines.length, diagnostics };
  }
  if (!/^#\s+Run log\b/i.test(lines.find((l) => l.trim() !== "") ?? ""))
    problem(1, 1, "warning", "no-title", "run-log.md does not start with `# Run log`", "add the title line");
  if (headingLine === -1) {
    problem(
      1,
      1,
      "error",
      "no-events-section",
      `run-log.md has no \`${EVENTS_HEADING}\` section`,
      "add the heading before the events (see `longrun init`)",
    );
    return { events: [], headingLine, insertAt: lines.length, diagnostics };
  }
  let end = lines.findIndex((l, i) => i > headingLine && /^#{1,2}\s/.test(l));
  if (end === -1) {
    end = lines.length;
    problem(
      headingLine + 1,
      1,
      "warning",
      "no-follow-ups",
      `run-log.md has no \`${FOLLOW_UPS_HEADING}\` section after the events`,
      "add it at the end",
    );
  }
  const events: LogEvent[] = [];
  let current: LogEvent | undefined;
  let lastContent = headingLine;
  let pendingBlank = 0;
  let inComment = false;
  for (let i = headingLine + 1; i < end; i++) {
    const l = lines[i] ?? "";
    if (l.trim() === "") {
      pendingBlank++;
      continue;
    }
    lastContent = i;
    // Any line indented two spaces under an event is its text (as formatEvent writes it), even `<!--`.
    if (current && l.startsWith("  ")) {
      current.text += `${"\n".repeat(pendingBlank + 1)}${l.slice(2)}`;
      pendingBlank = 0;
      continue;
    }
    if (inComment || l.trimStart().startsWith("<!--")) {
      inComment = !l.includes("-->");
      current = undefined;
      pendingBlank = 0;
      continue;
    }
    pendingBlank = 0;
    const m = EVENT_LINE.exec(l);
    if (m) {
      const [, date, hh, mm, tag, rest] = m as unknown as [
        string,
        string,
        string,
        string,
        string,
        string | undefined,
      ];
      current = { line: i + 1, stamp: `${date} ${hh}:${mm}`, tag, text: rest ?? "" };
      events.push(current);
      if (!validStamp(date, hh, mm))
        problem(
          i + 1,
          3,
          "error",
          "bad-timestamp",
          `\`${date} ${hh}:${mm}\` is not a real date and time`,
          "write `YYYY-MM-DD HH:MM` (UTC)",
        );
      if (!isTag(tag))
        problem(
          i + 1,
          20,
          "error",
          "unknown-tag",
          `tag \`${tag}\` is not one of ${TAGS.join(", ")}`,
          "use one of those tags",
        );
      continue;
    }
    current = undefined;
    if (LOOSE_EVENT.test(l))
      problem(
        i + 1,
        1,
        "error",
        "bad-event",
        "event line is not `- YYYY-MM-DD HH:MM tag: text`",
        "fix the line to that shape, e.g. `- 2026-01-31 09:00 note: text`",
      );
    else
      problem(
        i + 1,
        1,
        "warning",
        "stray-line",
        "text in the events section that is not an event",
        "make it an event with `longrun log add`, or move it to Context",
      );
  }
  // Time order is checked against the last event whose stamp is a real time.
  let prev: LogEvent | undefined;
  for (const ev of events) {
    if (!validStamp(...splitStamp(ev.stamp))) continue;
    if (prev && ev.stamp < prev.stamp)
      problem(
        ev.line,
        3,
        "warning",
        "out-of-order",
        `event at ${ev.stamp} comes after one at ${prev.stamp}`,
        "events are appended in time order; check the clock or the edit",
      );
    prev = ev;
  }
  return { events, headingLine, insertAt: lastContent + 1, diagnostics };
}

function splitStamp(stamp: string): [string, string, string] {
  return [stamp.slice(0, 10), stamp.slice(11, 13), stamp.slice(14, 16)];
}

function validStamp(date: string, hh: string, mm: string): boolean {
  const d = new Date(`${date}T${hh}:${mm}:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(`${date}T${hh}:${mm}`);
}

/** `YYYY-MM-DD HH:MM` in UTC. */
export function formatStamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace("T", " ");
}

/** The lines of one event: `- stamp tag: first line`, then the rest indented two spaces (blank lines kept). */
export function formatEvent(stamp: string, tag: Tag, text: string): string[] {
  const body = text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/^\n+|\n+$/g, "");
  const [first = "", ...rest] = body.split("\n");
  return [`- ${stamp} ${tag}: ${first}`.trimEnd(), ...rest.map((l) => (l === "" ? "" : `  ${l}`))];
}

/**
 * Insert an event after the last one of the events section. Lines before the insertion point are
 * returned unchanged, byte for byte; lines after it only move down.
 */
export function insertEvent(
  text: string,
  parsed: ParsedLog,
  eventLines: string[],
): { text: string; line: number } {
  if (parsed.headingLine === -1) throw new Error("run-log.md has no events section");
  const lines = text.split("\n");
  const at = parsed.insertAt;
  const spacer = at === parsed.headingLine + 1 ? [""] : [];
  const block = [...spacer, ...eventLines];
  // Keep one blank line between the events and a following heading.
  const next = lines[at];
  if (next !== undefined && /^#{1,2}\s/.test(next)) block.push("");
  lines.splice(at, 0, ...block);
  return { text: lines.join("\n"), line: at + spacer.length + 1 };
}

/** Events filtered by tag, time (`stamp >= since`) and count (the last `tail`). */
export function selectEvents(
  events: readonly LogEvent[],
  opts: { tag?: string; since?: string; tail?: number },
): LogEvent[] {
  let out = events.filter(
    (e) => (opts.tag ? e.tag === opts.tag : true) && (opts.since ? e.stamp >= opts.since : true),
  );
  if (opts.tail !== undefined) out = out.slice(Math.max(0, out.length - opts.tail));
  return out;
}
