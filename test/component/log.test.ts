import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, freshRepo, longrunAsync, snapshot, stderrLines } from "./cli.ts";

afterAll(cleanup);

const LOG = `# Run log

## Context
Written by hand; times are UTC.

## Events (append-only)
- 2025-12-30 09:00 decision: use YAML for the checklist
- 2026-01-02 10:00 note: back from the break
- 2026-01-03 11:00 fix: the parser keeps comments
  (second line of the fix)
- 2026-01-04 12:00 decision: one task at a time

## Follow-ups
- What is still unverified?
- Who reviews the parser?
`;

interface Event {
  line: number;
  stamp: string;
  tag: string;
  text: string;
}

function repo(): { dir: string; file: string } {
  const dir = freshRepo();
  const file = path.join(dir, "run-log.md");
  writeFileSync(file, LOG);
  return { dir, file };
}

async function events(dir: string, ...flags: string[]): Promise<Event[]> {
  const r = await longrunAsync(["log", ...flags, "--json", "--dir", dir]);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { events: Event[] };
  expect(Object.keys(doc)).toEqual(["events"]);
  return doc.events;
}

/** `after` is `before` with one block inserted: the old file is a byte prefix up to that point, the rest follows unchanged. */
function expectInsertedOnly(before: string, after: string): string {
  let p = 0;
  while (p < before.length && before[p] === after[p]) p++;
  // Back up to a line start: the insertion is whole lines.
  p = before.lastIndexOf("\n", p - 1) + 1;
  const rest = before.slice(p);
  expect(after.startsWith(before.slice(0, p))).toBe(true);
  expect(after.endsWith(rest), "lines after the insertion point changed").toBe(true);
  // The insertion point is after the last event, before the Follow-ups.
  expect(p).toBeGreaterThan(before.indexOf("- 2026-01-04 12:00 decision"));
  expect(rest).toContain("## Follow-ups");
  const headings = after.split("\n").filter((l) => /^#{1,2} /.test(l));
  expect(headings.at(-1)).toBe("## Follow-ups");
  return after.slice(p, after.length - rest.length);
}

describe.concurrent("longrun log", () => {
  test("log add: multi-line text stays one event, read back by log --json; only an insertion", async () => {
    const { dir, file } = repo();
    const text =
      "Parser: yaml, not js-yaml\nreason: it keeps comments\n\n- not a new event\n2026-01-01 00:00 fix: nor this";
    const r = await longrunAsync(["log", "add", "--tag", "decision", text, "--dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    const after = readFileSync(file, "utf8");
    const inserted = expectInsertedOnly(LOG, after);
    expect(inserted.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(1);
    const all = await events(dir);
    expect(all).toHaveLength(5);
    expect(all.at(-1)).toMatchObject({ tag: "decision", text });
    expect(all.at(-1)!.stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(all.slice(0, 4).map((e) => e.text)).toEqual([
      "use YAML for the checklist",
      "back from the break",
      "the parser keeps comments\n(second line of the fix)",
      "one task at a time",
    ]);
    expect((await longrunAsync(["check", "--dir", dir])).code).toBe(0);

    // A second append goes after the first, and again touches nothing before it.
    expect((await longrunAsync(["log", "add", "--tag", "note", "later", "--dir", dir])).code).toBe(0);
    const third = readFileSync(file, "utf8");
    expect(third.startsWith(after.slice(0, after.indexOf("\n## Follow-ups")))).toBe(true);
    expect((await events(dir)).map((e) => e.text).slice(-2)).toEqual([text, "later"]);
  });

  test("log --tag, --since DATE, --since AGE, --tail", async () => {
    const { dir } = repo();
    expect((await longrunAsync(["log", "add", "--tag", "decision", "just now", "--dir", dir])).code).toBe(0);
    const texts = (es: Event[]) => es.map((e) => e.text);

    expect(texts(await events(dir, "--tag", "decision"))).toEqual([
      "use YAML for the checklist",
      "one task at a time",
      "just now",
    ]);
    expect(texts(await events(dir, "--since", "2026-01-01"))).toEqual([
      "back from the break",
      "the parser keeps comments\n(second line of the fix)",
      "one task at a time",
      "just now",
    ]);
    expect(texts(await events(dir, "--since", "2026-01-03 11:00"))).toEqual([
      "the parser keeps comments\n(second line of the fix)",
      "one task at a time",
      "just now",
    ]);
    expect(texts(await events(dir, "--since", "1h"))).toEqual(["just now"]);
    expect(texts(await events(dir, "--tail", "2"))).toEqual(["one task at a time", "just now"]);
    expect(texts(await events(dir, "--tag", "decision", "--since", "2026-01-01", "--tail", "1"))).toEqual([
      "just now",
    ]);

    const human = await longrunAsync(["log", "--tag", "fix", "--dir", dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(
      "2026-01-03 11:00 fix: the parser keeps comments\n  (second line of the fix)\n",
    );
  });

  test("an unknown tag is refused with exit 2 naming the allowed tags; the log is unchanged", async () => {
    const { dir } = repo();
    const before = snapshot(dir);
    for (const args of [
      ["log", "add", "--tag", "wish", "more tests"],
      ["log", "--tag", "wish"],
    ]) {
      const r = await longrunAsync([...args, "--dir", dir]);
      expect(r.code).toBe(2);
      expect(stderrLines(r)).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^longrun: .*`wish` is not a tag \(one of decision, evidence, failure, fix, note\)/,
      );
    }
    for (const bad of [
      ["log", "--since", "last week"],
      ["log", "--tail", "-1"],
      ["log", "add", "--tag", "note", "   "],
      ["log", "add", "more tests"],
    ]) {
      const r = await longrunAsync([...bad, "--dir", dir]);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(stderrLines(r)).toHaveLength(1);
    }
    expect(snapshot(dir)).toEqual(before);
  });
});
