// Reading a journal another process appends to: whole lines only, bounded chunks, the end of a big file,
// pages that never split a character; and the dashboard's follower built on it.
import { appendFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { indexPrices } from "../../src/core/prices.ts";
import { FEED_KEEP, RunFollow } from "../../src/dash/run-follow.ts";
import { lastLines, readLinesFrom, readPage } from "../../src/store/file-tail.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "longrun-tail-"));
let n = 0;
const file = (text: string) => {
  const f = path.join(dir, `f${n++}.jsonl`);
  writeFileSync(f, text);
  return f;
};

describe("readLinesFrom", () => {
  test("takes complete lines and leaves a line being written", () => {
    const f = file('{"a":1}\n{"a":2}\n{"a":');
    const r = readLinesFrom(f, 0);
    expect(r.lines).toEqual(['{"a":1}', '{"a":2}']);
    expect(r.offset).toBe(16);
    expect(readLinesFrom(f, r.offset).lines).toEqual([]);
    appendFileSync(f, "3}\n");
    expect(readLinesFrom(f, r.offset).lines).toEqual(['{"a":3}']);
  });
  test("reads in chunks, and a line longer than a chunk whole", () => {
    const long = "é".repeat(5000);
    const f = file(`a\nb\n${long}\nc\n`);
    const r1 = readLinesFrom(f, 0, 3);
    expect(r1).toMatchObject({ lines: ["a"], more: true });
    const r2 = readLinesFrom(f, r1.offset, 3);
    expect(r2.lines).toEqual(["b"]);
    const r3 = readLinesFrom(f, r2.offset, 3);
    expect(r3.lines[0]).toBe(long);
    const rest = r3.lines.length > 1 ? r3.lines.slice(1) : readLinesFrom(f, r3.offset, 3).lines;
    expect(rest).toEqual(["c"]);
  });
  test("a file shorter than what was read is reported", () => {
    const f = file("abc\n");
    expect(readLinesFrom(f, 10).shrunk).toBe(true);
    expect(readLinesFrom(path.join(dir, "none"), 0)).toMatchObject({ lines: [], shrunk: false });
  });
});

describe("lastLines and readPage", () => {
  test("the end of a file, without its cut first line", () => {
    const f = file("one\ntwo\nthree\nfour");
    expect(lastLines(f, 12)).toMatchObject({ lines: ["three"] });
    expect(lastLines(f, 100).lines).toEqual(["one", "two", "three"]);
  });
  test("pages never split a UTF-8 character", () => {
    const text = "aé€😀".repeat(100);
    const f = file(text);
    let out = "";
    let at = 0;
    for (;;) {
      const p = readPage(f, at, 7);
      out += p.text;
      if (p.next >= p.size) break;
      expect(p.next).toBeGreaterThan(at);
      at = p.next;
    }
    expect(out).toBe(text);
    // A page asked for in the middle of a character starts at the next one.
    expect(readPage(f, 2, 10).text.startsWith("€")).toBe(true);
  });
});

const prices = { index: indexPrices([]), plans: [], declared: [] };
const line = (i: number, extra = {}) =>
  `${JSON.stringify({ v: 1, runId: "s1", seq: i, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), type: "message", text: `m${i}`, ...extra })}\n`;

function journal(lines: number, pad = 0): { repo: string; id: string } {
  const repo = mkdtempSync(path.join(os.tmpdir(), "longrun-follow-"));
  const id = "20260101T000000000Z-abcd";
  const d = path.join(repo, ".longrun", "runs", id);
  mkdirSync(d, { recursive: true });
  writeFileSync(
    path.join(d, "run.json"),
    JSON.stringify({ id, kind: "run", harness: "command", model: null }),
  );
  let text = "";
  for (let i = 0; i < lines; i++) text += line(i, pad ? { pad: "x".repeat(pad) } : {});
  writeFileSync(path.join(d, "events.jsonl"), text);
  return { repo, id };
}

describe("RunFollow", () => {
  test("folds a journal, then takes what is appended, a torn line once it is whole", async () => {
    const { repo, id } = journal(5);
    const f = new RunFollow(repo, id, prices, 0);
    await f.catchUp();
    expect(f.ready).toBe(true);
    expect(f.feed.map((r) => r.text)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    const j = path.join(repo, ".longrun", "runs", id, "events.jsonl");
    const next = line(5);
    appendFileSync(j, `${next.slice(0, 20)}`);
    expect(f.poll().rows).toEqual([]);
    appendFileSync(j, `${next.slice(20)}not json\n`);
    const rows = f.poll().rows;
    expect(rows.map((r) => [r.n, r.text])).toEqual([[5, "m5"]]);
    expect(f.badLines).toBe(1);
  });

  test("a big journal shows its end at once and never repeats a row", async () => {
    // ~1.4 MB: more than the tail window (512 KB), so the feed starts from the end.
    const { repo, id } = journal(3000, 400);
    const size = statSync(path.join(repo, ".longrun", "runs", id, "events.jsonl")).size;
    const f = new RunFollow(repo, id, prices, size);
    expect(f.feed.length).toBeGreaterThan(100);
    expect(f.feed.at(-1)!.text).toBe("m2999");
    const ns = f.feed.map((r) => r.n);
    expect(new Set(ns).size).toBe(ns.length); // each row its own number, even before the lines are counted
    expect(ns.at(-1)).toBe(-1);
    expect(f.ready).toBe(false);
    await f.catchUp();
    expect(f.lines).toBe(3000);
    const texts = f.recentFeed().map((r) => r.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.length).toBeLessThanOrEqual(FEED_KEEP);
    expect(texts.at(-1)).toBe("m2999");
    appendFileSync(path.join(repo, ".longrun", "runs", id, "events.jsonl"), line(3000));
    expect(f.poll().rows.map((r) => r.text)).toEqual(["m3000"]);
  });
});
