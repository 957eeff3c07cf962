// The run-log guard (appended lines kept, rewritten ones restored) and the line diff under it.
import { describe, expect, test } from "vitest";
import { diffLines } from "../../src/core/line-diff.ts";
import { guardRunLog } from "../../src/core/log-guard.ts";

/** Rebuild `b` from `a` and the edit script; count kept lines. */
function apply(a: string[], b: string[]) {
  const ops = diffLines(a, b);
  const out: string[] = [];
  let kept = 0;
  for (const op of ops) {
    if (op.op === "equal") {
      expect(a[op.a]).toBe(b[op.b]);
      out.push(a[op.a]!);
      kept++;
    } else if (op.op === "insert") out.push(b[op.b]!);
  }
  return { out, kept };
}

/** Length of the longest common subsequence (the reference the diff must reach). */
function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

describe("diffLines", () => {
  test.each([
    [[], []],
    [["a"], []],
    [[], ["a"]],
    [
      ["a", "b", "c"],
      ["a", "c"],
    ],
    [
      ["a", "b", "c"],
      ["x", "a", "b", "y", "c", "z"],
    ],
    [
      ["a", "b", "a", "b"],
      ["b", "a", "b", "a"],
    ],
  ])("%j -> %j", (a, b) => {
    const { out, kept } = apply(a, b);
    expect(out).toEqual(b);
    expect(kept).toBe(lcs(a, b));
  });

  test("random edits: the script rebuilds the target and keeps a longest common subsequence", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: rnd(30) }, () => "abcde"[rnd(5)]!);
      const b = a.filter(() => rnd(4) !== 0);
      for (let k = rnd(5); k > 0; k--) b.splice(rnd(b.length + 1), 0, "abcdef"[rnd(6)]!);
      const { out, kept } = apply(a, b);
      expect(out).toEqual(b);
      expect(kept).toBe(lcs(a, b));
    }
  });
});

const LOG = `# Run log

## Events (append-only)

- 2026-11-26 10:00 decision: T001 started
- 2026-11-26 10:05 failure: T001 attempt 1 failed: tests red

## Follow-ups

- what next?
`;

describe("guardRunLog", () => {
  test("appended events (and lines added anywhere without touching others) are kept", () => {
    const after = LOG.replace(
      "tests red\n",
      "tests red\n- 2026-11-26 10:07 note: fixed the import\n",
    ).replace("- what next?\n", "- what next?\n- a new follow-up\n");
    expect(guardRunLog(LOG, after)).toEqual({ text: after, violations: [] });
  });

  test("a rewritten line comes back and the rewrite is dropped; an append in the same edit is kept", () => {
    const after = LOG.replace(
      "failure: T001 attempt 1 failed: tests red",
      "evidence: T001 all green",
    ).replace("- what next?\n", "- what next?\n- appended\n");
    const g = guardRunLog(LOG, after);
    expect(g.text).toBe(LOG.replace("- what next?\n", "- what next?\n- appended\n"));
    expect(g.violations).toEqual([
      expect.objectContaining({
        file: "run-log.md",
        kind: "rewrote",
        text: expect.stringMatching(/1 earlier line was rewritten or deleted \(from line 6\)/),
      }),
    ]);
  });

  test("deleted lines come back", () => {
    const after = LOG.replace("- 2026-11-26 10:00 decision: T001 started\n", "");
    const g = guardRunLog(LOG, after);
    expect(g.text).toBe(LOG);
    expect(g.violations).toHaveLength(1);
  });

  test("a log emptied by the agent is restored whole", () => {
    expect(guardRunLog(LOG, "").text).toBe(LOG);
  });
});
