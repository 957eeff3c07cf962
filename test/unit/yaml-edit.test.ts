import { describe, expect, test } from "vitest";
import {
  editBlockMap,
  firstSeqItemMap,
  indentLines,
  type MapFinder,
  pairText,
  rootMap,
  seqItemText,
  topKeyMap,
} from "../../src/core/yaml-edit.ts";
import { readYaml } from "../../src/core/yaml-read.ts";

const data = (text: string) => {
  const r = readYaml(text);
  if (!r.ok) throw new Error(`does not parse: ${r.message}\n${text}`);
  return r.data;
};

describe("editBlockMap: exact output", () => {
  test.each<[string, string, MapFinder, Record<string, unknown>, string]>([
    [
      "a plain value keeps its comment and spacing",
      "k: plain   # c\nz: 1\n",
      rootMap,
      { k: "done" },
      "k: done   # c\nz: 1\n",
    ],
    ["single quotes are kept", "k: 'old' # c\nz: 1\n", rootMap, { k: "it's" }, "k: 'it''s' # c\nz: 1\n"],
    ["double quotes are kept", 'k: "old"\nz: 1\n', rootMap, { k: 'say "hi"' }, 'k: "say \\"hi\\""\nz: 1\n'],
    [
      "a plain value that would not read as a string is quoted",
      "k: old\n",
      rootMap,
      { k: "true" },
      'k: "true"\n',
    ],
    ["a number is written plain", "k: 'x'\n", rootMap, { k: 3 }, "k: 3\n"],
    ["null is written plain", "k: x\n", rootMap, { k: null }, "k: null\n"],
    ["a boolean is written plain", "k: x\n", rootMap, { k: false }, "k: false\n"],
    [
      "multi-line text becomes a literal block, comment kept",
      "k: x   # c\nz: 1\n",
      rootMap,
      { k: "a\nb" },
      "k: |-   # c\n  a\n  b\nz: 1\n",
    ],
    [
      "a block scalar becomes plain",
      "k: |\n  block\n  more\nz: 1\n",
      rootMap,
      { k: "one" },
      "k: one\nz: 1\n",
    ],
    [
      "a folded block becomes a literal one",
      "k: >-\n  a\n  b\nz: 1\n",
      rootMap,
      { k: "x\ny" },
      "k: |-\n  x\n  y\nz: 1\n",
    ],
    [
      "a collection replaces the whole pair",
      "k: x\nz: 1\n",
      rootMap,
      { k: ["a", "b"] },
      "k:\n  - a\n  - b\nz: 1\n",
    ],
    [
      "a list becomes a scalar; the comment after it stays",
      "k:\n  - a\n# after\nz: 1\n",
      rootMap,
      { k: "s" },
      "k: s\n# after\nz: 1\n",
    ],
    [
      "an empty value is filled; the comment below stays",
      "k:\n# below\nz: 1\n",
      rootMap,
      { k: ["s"] },
      "k:\n  - s\n# below\nz: 1\n",
    ],
    [
      "new keys go after the last pair",
      "k: 1\n",
      rootMap,
      { n: "new", m: [1, 2] },
      "k: 1\nn: new\nm:\n  - 1\n  - 2\n",
    ],
    ["a file without a final newline", "k: 1", rootMap, { n: "new" }, "k: 1\nn: new\n"],
    [
      "new keys go above the comments that end the mapping",
      "a:\n  x: 1\n  # the end of a\n\n# about b\nb: 2\n",
      topKeyMap("a"),
      { y: 2 },
      "a:\n  x: 1\n  y: 2\n  # the end of a\n\n# about b\nb: 2\n",
    ],
    [
      "a nested mapping, everything around kept",
      "summary:\n  a: 1   # x\n  b: 2\n\n# How\ninstructions: x\n",
      topKeyMap("summary"),
      { b: 3, c: "new" },
      "summary:\n  a: 1   # x\n  b: 3\n  c: new\n\n# How\ninstructions: x\n",
    ],
    [
      "the one task of a chunk",
      "  - task_id: T1\n    status: x\n  # trailing\n",
      firstSeqItemMap,
      { status: "y", note: "n" },
      "  - task_id: T1\n    status: y\n    note: n\n  # trailing\n",
    ],
    [
      "the one task of a chunk, `-` alone on its line",
      "  -\n    # about T1\n    task_id: T1\n    status: x\n",
      firstSeqItemMap,
      { status: "y" },
      "  -\n    # about T1\n    task_id: T1\n    status: y\n",
    ],
    ["no changes, no change", "k: v  # c\n", rootMap, {}, "k: v  # c\n"],
  ])("%s", (_name, text, find, changes, expected) => {
    const out = editBlockMap(text, find, changes);
    expect(out).toBe(expected);
  });
});

describe("editBlockMap: shapes it does not handle", () => {
  test.each<[string, string, MapFinder]>([
    ["a flow mapping", "{k: 1}\n", rootMap],
    ["a list at the root", "- a\n", rootMap],
    ["a missing top key", "other:\n  k: 1\n", topKeyMap("summary")],
    ["a top key holding a scalar", "summary: text\n", topKeyMap("summary")],
    ["a chunk of two tasks", "  - task_id: T1\n  - task_id: T2\n", firstSeqItemMap],
    ["a flow-style task", "  - {task_id: T1, status: x}\n", firstSeqItemMap],
    ["a chunk that is not a list", "task_id: T1\n", firstSeqItemMap],
    ["an empty text", "", rootMap],
  ])("%s -> undefined", (_name, text, find) => {
    expect(editBlockMap(text, find, { status: "y" })).toBeUndefined();
  });
});

describe("editBlockMap: any string reads back as itself, in every quoting style", () => {
  const starts = {
    plain: "k: plain   # c\nz: 1\n",
    single: "k: 'single' # c\nz: 1\n",
    double: 'k: "double"\nz: 1\n',
    literal: "k: |\n  block\nz: 1\n",
    folded: "k: >-\n  folded\n  text\nz: 1\n",
    absent: "z: 1\n",
  };
  const values: unknown[] = [
    ...["yes", "no", "true", "True", "null", "~", "", " ", "123", "-1", "1e3", "0x1F", "0o7", ".inf", ".NaN"],
    ...[
      "- x",
      "[a]",
      "{a}",
      "a #b",
      "a: b",
      "a:",
      "'q'",
      '"dq"',
      "@x",
      "`x",
      "%x",
      "!x",
      "&x",
      "*x",
      "|",
      ">",
      "?",
      "#",
    ],
    ...[
      "2026-01-30",
      "  lead",
      "trail  ",
      "\ttab",
      "café ✓ 𝄞",
      "a\\b",
      "it's",
      'say "hi"',
      "---",
      "...",
      "<<",
      "=",
      "a,b",
    ],
    ...[
      "multi\nline",
      "multi\nline\n",
      "  indented\nfirst",
      "a\n\nb",
      "ends with blanks\n\n",
      "\n",
      "x\r\ny",
      "nul\u0000byte",
    ],
    ...[0, -1.5, 1e21, true, false, null],
  ];
  for (const [style, text] of Object.entries(starts))
    test(`from ${style}`, () => {
      for (const v of values) {
        const out = editBlockMap(text, rootMap, { k: v });
        expect(out, JSON.stringify(v)).toBeDefined();
        expect(data(out!), `${style} <- ${JSON.stringify(v)}`).toEqual({ k: v, z: 1 });
        // the untouched line stays where it was: after the edited pair, or before the added one
        if (style === "absent") expect(out!.startsWith("z: 1\nk:")).toBe(true);
        else expect(out!.endsWith("\nz: 1\n")).toBe(true);
        if (style === "plain" && typeof v === "string" && !v.includes("\n"))
          expect(out).toContain("   # c\n");
      }
    });
});

describe("pairText, seqItemText, indentLines", () => {
  test.each([
    ["k", "v", 0, "k: v\n"],
    ["k", "a: b", 2, '  k: "a: b"\n'],
    ["k", ["a", "b"], 4, "    k:\n      - a\n      - b\n"],
    ["k", "x\ny", 0, "k: |-\n  x\n  y\n"],
    ["k", null, 0, "k: null\n"],
  ])("pairText(%j, %j, %d)", (key, value, indent, expected) => {
    expect(pairText(key, value, indent)).toBe(expected);
  });

  test("seqItemText writes a task that reads back exactly", () => {
    const task = {
      task_id: "T9",
      title: "x: y # not a comment",
      status: "not_started",
      acceptance_criteria: ["plain", { text: "t", check: "test -f a && echo 'ok'" }],
      description: "line one\nline two\n",
      depends_on: [],
      milestone: false,
      attempts: 0,
    };
    for (const indent of [0, 2, 4]) {
      const text = seqItemText(task, indent);
      expect(text.startsWith(`${" ".repeat(indent)}- task_id: T9\n`)).toBe(true);
      expect(data(text)).toEqual([task]);
    }
  });

  test("indentLines leaves empty lines empty", () => {
    expect(indentLines("a\n\n  b\n", 2)).toBe("  a\n\n    b\n");
    expect(indentLines("a", 0)).toBe("a");
  });
});
