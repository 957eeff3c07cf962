import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { scanLines } from "../../src/cost/scan/lines.ts";

const dir = mkdtempSync(path.join(tmpdir(), "longrun-lines-"));
let n = 0;
async function lines(content: string | Buffer, markers: string[], options = {}) {
  const file = path.join(dir, `f${n++}`);
  writeFileSync(file, content);
  const got: string[] = [];
  const stats = await scanLines(file, markers, (l) => got.push(l), options);
  return { got, stats };
}

describe("scanLines: only the lines that hold a marker, decoded", () => {
  test("others are skipped; CRLF and a last line without a newline are read", async () => {
    const { got, stats } = await lines('{"a":1}\n{"usage":2}\r\nplain\n"usage" at the end', ['"usage"']);
    expect(got).toEqual(['{"usage":2}', '"usage" at the end']);
    expect(stats).toEqual({ tooLong: 0, bytes: 45 });
  });

  test("a line across the 1 MiB read boundary, split inside a multi-byte character", async () => {
    const head = "a".repeat((1 << 20) - 3); // the boundary falls inside "é" / "完"
    const { got } = await lines(`${head}\n"usage" é完😀 end\n`, ['"usage"']);
    expect(got).toEqual(['"usage" é完😀 end']);
  });

  test("invalid UTF-8 becomes U+FFFD; the line is still handed over", async () => {
    const { got } = await lines(
      Buffer.concat([Buffer.from('{"usage":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
      ['"usage"'],
    );
    expect(got).toEqual(['{"usage":"\ufffd\ufffd"}']);
  });

  test("a 10 MB line is read; a line over maxLine is skipped and counted once", async () => {
    const big = `"usage"${"x".repeat(10 << 20)}`;
    expect((await lines(`${big}\nok "usage"\n`, ['"usage"'])).got.map((l) => l.length)).toEqual([
      big.length,
      10,
    ]);
    const small = await lines(`${big}\nok "usage"\n`, ['"usage"'], { maxLine: 4 << 20 });
    expect(small.got).toEqual(['ok "usage"']);
    expect(small.stats.tooLong).toBe(1);
  });

  test("an anchor finds every marker that holds it, and only those", async () => {
    const text = [
      '{"type":"token_count"}',
      '{"type":"turn_context"}',
      '{"text":"execution_context and question_count"}', // "n_co" but no marker
      '{"type":"tokens_counted"}',
    ].join("\n");
    const { got } = await lines(text, ['"token_count"', '"turn_context"'], { anchor: "n_co" });
    expect(got).toEqual(['{"type":"token_count"}', '{"type":"turn_context"}']);
  });

  test("firstLine hands over the first line whatever it holds, once", async () => {
    const { got } = await lines('{"type":"session_meta"}\n{"x":1}\n{"usage":1}\n', ['"usage"'], {
      firstLine: true,
    });
    expect(got).toEqual(['{"type":"session_meta"}', '{"usage":1}']);
    const both = await lines('{"usage":0}\n{"usage":1}\n', ['"usage"'], { firstLine: true });
    expect(both.got).toEqual(['{"usage":0}', '{"usage":1}']);
  });
});
