import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { LONG_LINE_KEEP, lastLines, readLinesFrom } from "../../src/store/file-tail.ts";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "longrun-file-tail-"));
  file = path.join(dir, "events.jsonl");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every line of the file, read from 0 in reads of at most `max` bytes. */
function readAll(max: number): { lines: string[]; offset: number; reads: number } {
  const lines: string[] = [];
  let offset = 0;
  let reads = 0;
  for (;;) {
    const r = readLinesFrom(file, offset, max);
    reads++;
    lines.push(...r.lines);
    offset = r.offset;
    if (!r.more) return { lines, offset, reads };
  }
}

describe("readLinesFrom", () => {
  const text = [
    '{"t":"héllo wörld"}',
    '{"t":"ログインのテスト 😀 and 结算"}',
    '{"t":"a\u2028b\u2029c"}',
    "",
    '{"t":"crlf"}\r',
    '{"t":"plain"}',
  ];

  test("complete lines only, split on \\n alone; a line being written is left for later", () => {
    writeFileSync(file, `${text.join("\n")}\n{"t":"half`);
    const r = readLinesFrom(file, 0);
    expect(r.lines).toEqual(text);
    expect(r.offset).toBe(Buffer.byteLength(`${text.join("\n")}\n`));
    expect(r.more).toBe(false);
    expect(readLinesFrom(file, r.offset)).toEqual({
      lines: [],
      offset: r.offset,
      shrunk: false,
      more: false,
    });
    appendFileSync(file, '"}\n');
    expect(readLinesFrom(file, r.offset).lines).toEqual(['{"t":"half"}']);
  });

  test("every read size gives the same lines, multi-byte characters whole at any cut", () => {
    writeFileSync(file, `${text.join("\n")}\n`);
    const size = Buffer.byteLength(`${text.join("\n")}\n`);
    for (let max = 1; max <= size + 1; max++) {
      const r = readAll(max);
      expect(r.lines, `reads of ${max} bytes`).toEqual(text);
      expect(r.offset).toBe(size);
    }
    expect(readAll(8).reads).toBeGreaterThan(3);
  });

  test("a line longer than the read comes whole, its strings over 64 KB cut, never held whole", () => {
    const short = JSON.stringify({ output: "✓ test passed\n".repeat(3000), more: ["é".repeat(9000)] });
    const output = "結果 ✓\n".repeat(2_000_000);
    const huge = JSON.stringify({ type: "tool_end", output, ok: true, ts: "2026-11-26T09:00:00.000Z" });
    writeFileSync(file, `{"a":1}\n${short}\n${huge}\n{"b":2}\n`);
    const r = readAll(1024);
    expect(r.lines).toHaveLength(4);
    expect([r.lines[0], r.lines[1], r.lines[3]]).toEqual(['{"a":1}', short, '{"b":2}']);
    expect(r.offset).toBe(Buffer.byteLength(`{"a":1}\n${short}\n${huge}\n{"b":2}\n`));
    const o = JSON.parse(r.lines[2]!) as Record<string, unknown>;
    expect(o).toMatchObject({ type: "tool_end", ok: true, ts: "2026-11-26T09:00:00.000Z" });
    expect(Buffer.byteLength(o.output as string)).toBeLessThan(LONG_LINE_KEEP + 100);
    expect(output.startsWith((o.output as string).replace(/… \(\d+ bytes cut\)$/, ""))).toBe(true);
  });

  test("a long line still being written is left for later", () => {
    writeFileSync(file, `{"a":1}\n{"output":"${"x".repeat(100_000)}`);
    const r = readAll(1024);
    expect(r.lines).toEqual(['{"a":1}']);
    expect(r.offset).toBe(8);
    appendFileSync(file, '"}\n');
    expect(readLinesFrom(file, 8, 1024).lines[0]).toMatch(/^{"output":"x+… \(\d+ bytes cut\)"}$/);
  });

  test("with keep, every line's long strings are cut; lines, offsets and other fields stay", () => {
    const lines = [
      JSON.stringify({
        type: "tool_end",
        output: "é".repeat(3000),
        ok: true,
        ts: "2026-11-26T09:00:00.000Z",
      }),
      '{"type":"usage","usage":{"input":1,"output":2}}',
      JSON.stringify({ type: "message", text: "short" }),
    ];
    writeFileSync(file, `${lines.join("\n")}\n`);
    const r = readLinesFrom(file, 0, 1 << 20, 1024);
    expect(r.offset).toBe(Buffer.byteLength(`${lines.join("\n")}\n`));
    expect(r.lines.slice(1)).toEqual(lines.slice(1));
    const o = JSON.parse(r.lines[0]!) as Record<string, unknown>;
    expect(o).toMatchObject({ type: "tool_end", ok: true, ts: "2026-11-26T09:00:00.000Z" });
    expect(o.output).toBe(`${"é".repeat(512)}… (4976 bytes cut)`);
  });

  test("a file shorter than the offset read is reported, not read", () => {
    writeFileSync(file, '{"a":1}\n');
    expect(readLinesFrom(file, 100).shrunk).toBe(true);
    expect(readLinesFrom(path.join(dir, "missing"), 0).lines).toEqual([]);
  });
});

describe("lastLines", () => {
  test("the complete lines of the file's end, the window's cut first line dropped", () => {
    writeFileSync(file, '{"n":1,"t":"ün"}\n{"n":2,"t":"deux"}\n{"n":3}\n{"n":4');
    const r = lastLines(file, 24);
    expect(r.lines).toEqual(['{"n":3}']);
    expect(r.end).toBe(Buffer.byteLength('{"n":1,"t":"ün"}\n{"n":2,"t":"deux"}\n{"n":3}\n'));
    expect(lastLines(file, 1000).lines).toEqual(['{"n":1,"t":"ün"}', '{"n":2,"t":"deux"}', '{"n":3}']);
  });
});
