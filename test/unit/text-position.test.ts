import { describe, expect, test } from "vitest";
import { LineIndex } from "../../src/core/text-position.ts";

const text = "ab\ncde\n\nf";
//            0123 456 7 8   offsets: a0 b1 \n2 c3 d4 e5 \n6 \n7 f8

describe("LineIndex", () => {
  const idx = new LineIndex(text);

  test.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 1, 3], // the newline belongs to the line it ends
    [3, 2, 1],
    [5, 2, 3],
    [6, 2, 4],
    [7, 3, 1], // an empty line
    [8, 4, 1],
    [9, 4, 2], // end of text
  ])("offset %d is line %d col %d", (offset, line, col) => {
    expect(idx.position(offset)).toEqual({ line, col });
  });

  test.each([
    [0, 0],
    [2, 0],
    [4, 3],
    [6, 3],
    [7, 7],
    [9, 8],
  ])("the line holding offset %d starts at %d", (offset, start) => {
    expect(idx.lineStart(offset)).toBe(start);
  });

  test.each([
    ["", 1],
    ["x", 1],
    ["x\n", 2],
    ["\n\n", 3],
    [text, 4],
  ])("%j has %d lines", (t, n) => {
    expect(new LineIndex(t).lineCount).toBe(n);
  });

  test("a text ending in a newline has an empty last line", () => {
    const t = "a\nb\n";
    expect(new LineIndex(t).position(t.length)).toEqual({ line: 3, col: 1 });
  });

  test("agrees with a naive count on a long text", () => {
    const long = Array.from({ length: 500 }, (_, i) => "x".repeat(i % 7)).join("\n");
    const li = new LineIndex(long);
    let line = 1;
    let col = 1;
    for (let o = 0; o <= long.length; o++) {
      expect(li.position(o)).toEqual({ line, col });
      if (long[o] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
  });
});
