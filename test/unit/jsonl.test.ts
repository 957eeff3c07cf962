import { describe, expect, test } from "vitest";
import { jsonLine, LineFramer, parseJsonObject } from "../../src/core/jsonl.ts";

const bytes = (s: string) => Buffer.from(s, "utf8");

describe("LineFramer", () => {
  test("splits on \\n only: U+2028 and U+2029 stay inside a line", () => {
    const f = new LineFramer();
    expect(f.push(bytes('{"t":"a\u2028b\u2029c"}\n'))).toEqual(['{"t":"a\u2028b\u2029c"}']);
  });

  test("a multi-byte character split across chunks is decoded whole", () => {
    const line = bytes("héllo 😀 wörld\n");
    const f = new LineFramer();
    const out: string[] = [];
    // every split point, including inside the 4-byte emoji
    for (let cut = 1; cut < line.length; cut++) {
      const g = new LineFramer();
      expect([...g.push(line.subarray(0, cut)), ...g.push(line.subarray(cut)), ...g.end()]).toEqual([
        "héllo 😀 wörld",
      ]);
    }
    for (const b of line) out.push(...f.push(Buffer.from([b])));
    expect(out).toEqual(["héllo 😀 wörld"]);
  });

  test("CRLF loses its \\r; a last line without \\n comes out at end()", () => {
    const f = new LineFramer();
    expect(f.push(bytes("a\r\nb\r\nc"))).toEqual(["a", "b"]);
    expect(f.end()).toEqual(["c"]);
    expect(f.end()).toEqual([]);
  });

  test("empty lines are lines", () => {
    expect(new LineFramer().push(bytes("\n\nx\n"))).toEqual(["", "", "x"]);
  });
});

describe("parseJsonObject", () => {
  test.each([
    ['{"a":1}', { a: 1 }],
    ['  {"a":1}  ', { a: 1 }],
    ["[1,2]", undefined],
    ['"str"', undefined],
    ["{broken", undefined],
    ["plain text", undefined],
  ])("%s", (line, want) => {
    expect(parseJsonObject(line)).toEqual(want);
  });
});

describe("jsonLine", () => {
  test("one line ending in \\n; U+2028/2029 escaped (readline would split there); round-trips", () => {
    const value = { text: 'a\nb\u2028c\u2029d ✓ "q"' };
    const line = jsonLine(value);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\u2028\u2029]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});
