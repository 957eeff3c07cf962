import { expect, test } from "vitest";
import { parseDuration } from "../../src/core/duration.ts";

const S = 1000;
const M = 60 * S;
const H = 60 * M;

test.each([
  ["90s", 90 * S],
  ["30m", 30 * M],
  ["8h", 8 * H],
  ["2d", 48 * H],
  ["1h30m", 90 * M],
  ["1d2h3m4s5ms", 24 * H + 2 * H + 3 * M + 4 * S + 5],
  ["500ms", 500],
  ["1.5h", 90 * M],
  ["0s", 0],
  [" 8h ", 8 * H],
  ["10m", 10 * M],
  ["1ms", 1],
])("parseDuration(%j) = %d ms", (text, ms) => {
  expect(parseDuration(text)).toBe(ms);
});

test.each([
  "",
  " ",
  "8",
  "h",
  "8x",
  "8 h",
  "1h 30m",
  "-1h",
  "+1h",
  "1.h",
  ".5h",
  "1.5.5h",
  "1H",
  "8hours",
  "1mss",
  "PT8H",
  "8h!",
])("parseDuration(%j) is not a duration", (text) => {
  expect(parseDuration(text)).toBeUndefined();
});
