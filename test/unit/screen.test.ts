import { describe, expect, test } from "vitest";
import { fitFrame, leave, redraw } from "../../src/cli/screen.ts";

describe("fitFrame", () => {
  test("cuts lines to the width by characters, with an ellipsis, and turns control characters into spaces", () => {
    expect(fitFrame(["abcdef", "abc", "a\tb\x1b[2Jc", "ééééé"], 4, 10)).toEqual([
      "abc…",
      "abc",
      "a b…",
      "ééé…",
    ]);
  });

  test("keeps at most `rows` lines, the last one saying how many did not fit", () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    expect(fitFrame(lines, 80, 10)).toEqual(lines);
    expect(fitFrame(lines, 80, 4)).toEqual([
      "line 0",
      "line 1",
      "line 2",
      "… 7 more lines (a taller window shows them)",
    ]);
  });
});

describe("redraw", () => {
  test("the first frame clears the screen and draws every row", () => {
    expect(redraw(null, ["a", "b"])).toBe("\x1b[H\x1b[2J\x1b[1;1Ha\x1b[2;1Hb");
  });

  test("then only the rows that changed are rewritten, each cleared to its end", () => {
    expect(redraw(["a", "b", "c"], ["a", "B", "c"])).toBe("\x1b[2;1HB\x1b[K");
    expect(redraw(["a", "b"], ["a", "b"])).toBe("");
  });

  test("a shorter frame clears what was below it; a longer one adds rows", () => {
    expect(redraw(["a", "b", "c"], ["a"])).toBe("\x1b[2;1H\x1b[J");
    expect(redraw(["a"], ["a", "b"])).toBe("\x1b[2;1Hb\x1b[K");
  });

  test("leaving puts the cursor on a new line below the frame, visible, with line wrap back on", () => {
    expect(leave(3)).toBe("\x1b[3;1H\n\x1b[?7h\x1b[?25h");
  });
});
