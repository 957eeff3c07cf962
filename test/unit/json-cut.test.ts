import { describe, expect, test } from "vitest";
import { LongStringCutter } from "../../src/core/json-cut.ts";

/** The text through a cutter, in pieces cut at `cuts` (byte offsets). */
function cut(text: string, keep: number, cuts: number[] = [], budget?: number): string {
  const bytes = Buffer.from(text, "utf8");
  const c = new LongStringCutter(keep, budget);
  let at = 0;
  for (const to of [...cuts.filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b), bytes.length]) {
    c.push(bytes.subarray(at, to));
    at = to;
  }
  return c.end().toString("utf8");
}

/** A small seeded random source. */
function rand(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
}

const PIECES = ["a", "Z", " ", "é", "结", "😀", '"', "\\", "\n", "\t", "\u2028", "\u0001", "/", "…"];

describe("LongStringCutter", () => {
  test("a text whose strings are all short comes out byte for byte, however it is split", () => {
    const text = JSON.stringify({
      type: "tool_end",
      output: 'ok "quoted" \\ back\nslash é 😀 \u2028 \u0001',
      nested: { list: [1, 2.5, -3e7, true, null, "x"], 'k\\"ey': "v" },
      ts: "2026-11-26T09:00:00.000Z",
    });
    const n = Buffer.byteLength(text);
    expect(cut(text, 1000)).toBe(text);
    for (let i = 1; i < n; i++) expect(cut(text, 1000, [i])).toBe(text);
  });

  test("a long string keeps its first bytes and says how many were cut; the rest of the line is intact", () => {
    const output = "✓ test passed\n".repeat(100_000);
    const line = JSON.stringify({
      type: "tool_end",
      id: "t1",
      output,
      ok: true,
      v: 1,
      ts: "2026-11-26T09:00:00.000Z",
    });
    const r = rand(1);
    const cuts = Array.from({ length: 40 }, () => r(Buffer.byteLength(line)));
    const o = JSON.parse(cut(line, 1000, cuts)) as Record<string, unknown>;
    expect(o).toMatchObject({ type: "tool_end", id: "t1", ok: true, v: 1, ts: "2026-11-26T09:00:00.000Z" });
    const text = o.output as string;
    const kept = text.slice(0, text.indexOf("… ("));
    expect(output.startsWith(kept)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeGreaterThanOrEqual(1000);
    const dropped = Number(/… \((\d+) bytes cut\)$/.exec(text)?.[1]);
    // The bytes of the string as written (escapes included) = kept + dropped.
    expect(Buffer.byteLength(JSON.stringify(kept)) - 2 + dropped).toBe(
      Buffer.byteLength(JSON.stringify(output)) - 2,
    );
  });

  test("cuts never split a character or an escape: random strings, every keep, random pieces stay valid JSON", () => {
    const r = rand(7);
    for (let round = 0; round < 300; round++) {
      const strings = Array.from({ length: 1 + r(4) }, () =>
        Array.from({ length: r(60) }, () => PIECES[r(PIECES.length)]).join(""),
      );
      const text = JSON.stringify({ s: strings, [strings[0]!]: strings.at(-1) });
      const keep = 1 + r(24);
      const cuts = Array.from({ length: r(6) }, () => r(Buffer.byteLength(text)));
      const out = cut(text, keep, cuts);
      const o = JSON.parse(out) as { s: string[] };
      o.s.forEach((got, i) => {
        const note = got.lastIndexOf("… (");
        const kept = /… \(\d+ bytes cut\)$/.test(got) ? got.slice(0, note) : got;
        expect(strings[i]!.startsWith(kept), `${JSON.stringify(strings[i])} -> ${JSON.stringify(got)}`).toBe(
          true,
        );
        if (kept !== strings[i])
          expect(Buffer.byteLength(JSON.stringify(kept)) - 2).toBeGreaterThanOrEqual(keep);
      });
    }
  });

  test("past the budget, strings keep 256 bytes", () => {
    const big = "x".repeat(5000);
    const text = JSON.stringify({ a: big, b: big, c: big });
    const o = JSON.parse(cut(text, 4000, [], 6000)) as Record<string, string>;
    expect(o.a!.startsWith("x".repeat(4000))).toBe(true);
    expect(o.b!.startsWith("x".repeat(4000))).toBe(true);
    expect(o.c).toBe(`${"x".repeat(256)}… (4744 bytes cut)`);
  });
});

describe("LongStringCutter, cutting across pieces", () => {
  test("escaped quotes and runs of backslashes in the cut part, split at every byte", () => {
    const value = `start ${'say \\"hi\\" \\\\'.repeat(6)} \\\\\\" end`;
    const text = `{"a":"${value}","b":"after \\\\","c":1}`;
    const want = JSON.parse(text) as Record<string, unknown>;
    const n = Buffer.byteLength(text);
    for (let i = 1; i < n; i++)
      for (const j of [i + 1, i + 3, n - 1]) {
        const o = JSON.parse(cut(text, 8, [i, j])) as Record<string, unknown>;
        expect(o.b).toBe(want.b);
        expect(o.c).toBe(1);
        expect((o.a as string).startsWith("start ")).toBe(true);
        expect(o.a).toMatch(/… \(\d+ bytes cut\)$/);
      }
  });
});
