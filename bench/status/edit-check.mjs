/** Checks on a one-task edit of checklist.yaml: which lines changed, and whether every comment survived. */
import { spawnSync } from "node:child_process";

/** Hunks of `diff old new` as 1-based old-file line ranges: { from, to, kind } (kind a, c or d). */
export function diffHunks(oldFile, newFile) {
  const r = spawnSync("diff", [oldFile, newFile], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status === 0) return [];
  if (r.status !== 1) throw new Error(`diff failed: ${r.stderr || r.error?.message}`);
  const hunks = [];
  for (const line of r.stdout.split("\n")) {
    const m = /^(\d+)(?:,(\d+))?([acd])\d+(?:,\d+)?$/.exec(line);
    if (m) hunks.push({ from: Number(m[1]), to: Number(m[2] ?? m[1]), kind: m[3] });
  }
  return hunks;
}

const isCommentOrBlank = (l) => /^\s*(#.*)?$/.test(l ?? "x");

/**
 * 1-based [first, last] lines of task `id`: from its `- task_id:` line to its last line of content (the
 * comment lines just above the next item belong to that item).
 */
export function taskLines(text, id) {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => new RegExp(`^\\s*- task_id: ${id}\\s*$`).test(l));
  if (first === -1) return undefined;
  let last = first + 1;
  while (last < lines.length && !/^\s*- task_id:/.test(lines[last]) && !/^\S/.test(lines[last])) last++;
  while (last > first + 1 && isCommentOrBlank(lines[last - 1])) last--;
  return [first + 1, last];
}

/** The comment lines just above line `first` (1-based), then the task's own lines: what a person sees as the task. */
function withLeadingComments(lines, [first, last]) {
  let top = first - 1;
  while (top > 0 && /^\s*#/.test(lines[top - 1])) top--;
  return lines.slice(top, last).join("\n");
}

/** Every comment in the text (whole-line and trailing), with its count. Generated data has no `#` in values. */
export function comments(text) {
  const found = new Map();
  for (const line of text.split("\n")) {
    const m = /^\s*(#.*)$/.exec(line) ?? /\s(#\s.*)$/.exec(line);
    if (m) found.set(m[1], (found.get(m[1]) ?? 0) + 1);
  }
  return found;
}

/**
 * Compare the checklist before and after `longrun task note <id> <note>`: the changed lines must lie in the
 * task's own lines (a change of `summary.last_updated` is reported apart), every comment must still be
 * there, and the note must be in the task.
 */
export function checkEdit({ before, after, beforeFile, afterFile, taskId, note }) {
  const range = taskLines(before, taskId);
  const beforeLines = before.split("\n");
  const hunks = diffHunks(beforeFile, afterFile);
  const isLastUpdated = (h) => h.from === h.to && /^\s{2}last_updated:/.test(beforeLines[h.from - 1] ?? "");
  const inTask = (h) => range && h.from >= range[0] && h.to <= range[1];
  const outside = hunks.filter((h) => !inTask(h) && !isLastUpdated(h));
  const kept = comments(after);
  const missing = [];
  for (const [c, n] of comments(before)) if ((kept.get(c) ?? 0) < n) missing.push(c);
  const afterRange = taskLines(after, taskId);
  const taskAfter = afterRange
    ? after
        .split("\n")
        .slice(afterRange[0] - 1, afterRange[1])
        .join("\n")
    : "";
  const taskComments = range ? [...comments(withLeadingComments(beforeLines, range)).keys()] : [];
  return {
    taskLines: range,
    hunks,
    changedOutsideTask: outside,
    onlyTaskChanged: hunks.length > 0 && outside.length === 0,
    touchedLastUpdated: hunks.some(isLastUpdated),
    commentsBefore: [...comments(before).values()].reduce((a, b) => a + b, 0),
    commentsMissing: missing,
    commentsKept: missing.length === 0,
    taskComments,
    noteApplied: taskAfter.includes(note),
    bytesBefore: Buffer.byteLength(before),
    bytesAfter: Buffer.byteLength(after),
  };
}
