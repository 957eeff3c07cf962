/**
 * Guard run-log.md against the agent: lines it only added are kept; lines it rewrote or deleted come
 * back as they were (and the rewritten text is dropped, since it replaced history). Pure.
 */
import { diffLines } from "./line-diff.ts";
import type { Violation } from "./loop-events.ts";

export function guardRunLog(before: string, after: string): { text: string; violations: Violation[] } {
  if (before === after) return { text: after, violations: [] };
  const a = before.split("\n");
  const b = after.split("\n");
  const ops = diffLines(a, b);
  const out: string[] = [];
  let rewritten = 0;
  let firstLine = 0;
  // Walk hunks: a run of changes between equal lines is kept when it only inserts.
  for (let i = 0; i < ops.length; ) {
    const op = ops[i]!;
    if (op.op === "equal") {
      out.push(a[op.a]!);
      i++;
      continue;
    }
    let j = i;
    while (j < ops.length && ops[j]!.op !== "equal") j++;
    const hunk = ops.slice(i, j);
    const deleted = hunk.filter((h) => h.op === "delete");
    if (deleted.length === 0) for (const h of hunk) out.push(b[(h as { b: number }).b]!);
    else {
      for (const h of deleted) out.push(a[(h as { a: number }).a]!);
      if (!rewritten) firstLine = (deleted[0] as { a: number }).a + 1;
      rewritten += deleted.length;
    }
    i = j;
  }
  if (!rewritten) return { text: after, violations: [] };
  return {
    text: out.join("\n"),
    violations: [
      {
        file: "run-log.md",
        taskId: null,
        kind: "rewrote",
        text: `run-log.md: ${rewritten === 1 ? "1 earlier line was" : `${rewritten} earlier lines were`} rewritten or deleted (from line ${firstLine}); restored (the log is append-only; added lines are kept)`,
      },
    ],
  };
}
