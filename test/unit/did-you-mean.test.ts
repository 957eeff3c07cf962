import { expect, test } from "vitest";
import { didYouMean } from "../../src/core/did-you-mean.ts";

const TASK_KEYS = [
  "task_id",
  "title",
  "description",
  "acceptance_criteria",
  "status",
  "note",
  "depends_on",
  "verify",
];

test.each([
  ["depend_on", "depends_on"],
  ["dependson", "depends_on"],
  ["stauts", "status"],
  ["Title", "title"],
  ["TASK_ID", "task_id"],
  ["taskid", "task_id"],
  ["acceptance_criterea", "acceptance_criteria"],
  ["notes", "note"],
  ["verfy", "verify"],
])("didYouMean(%j) suggests %j", (word, expected) => {
  expect(didYouMean(word, TASK_KEYS)).toBe(expected);
});

test.each([["colour"], ["xyz"], ["priority"], ["estimate"]])("didYouMean(%j) suggests nothing", (word) => {
  expect(didYouMean(word, TASK_KEYS)).toBeUndefined();
});

test("with nothing known there is nothing to suggest", () => {
  expect(didYouMean("status", [])).toBeUndefined();
});

test("an exact match is its own suggestion", () => {
  expect(didYouMean("note", TASK_KEYS)).toBe("note");
});

test("the closest word wins; on a tie, the first listed", () => {
  expect(didYouMean("abd", ["abc", "abx", "abd"])).toBe("abd");
  expect(didYouMean("abz", ["abc", "abx"])).toBe("abc");
  expect(didYouMean("T00", ["T001", "T1000"])).toBe("T001");
});

test("the allowed distance grows with the word's length", () => {
  // 3 letters: distance 2 allowed; 12 letters: distance 4 allowed, 5 not.
  expect(didYouMean("tzz", ["tab"])).toBe("tab");
  expect(didYouMean("abcdefghijkl", ["abcdefghwxyz"])).toBe("abcdefghwxyz");
  expect(didYouMean("abcdefghijkl", ["abcdefgvwxyz"])).toBeUndefined();
});
