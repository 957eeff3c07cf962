import { parseEvents } from "js-yaml";
import { describe, expect, test } from "vitest";
import type { PathDiagnostic } from "../../src/core/diagnostic.ts";
import { placeDiagnostics } from "../../src/core/place-diagnostics.ts";
import { LineIndex } from "../../src/core/text-position.ts";
import {
  expandedSize,
  locate,
  MAX_EXPANDED_NODES,
  pathKey,
  placeOf,
  readYaml,
  showPath,
  type YamlPath,
} from "../../src/core/yaml-read.ts";

/** line:col of a failed read. */
function failure(text: string) {
  const r = readYaml(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  const { line, col } = new LineIndex(text).position(r.offset);
  return { code: r.code, at: `${line}:${col}`, message: r.message, hint: r.hint };
}

describe("readYaml: data", () => {
  test.each([
    ["a mapping", "a: 1\nb: [x, 'y']\n", { a: 1, b: ["x", "y"] }],
    [
      "dates stay strings",
      "d: 2026-01-30\nt: 2026-01-30 09:00\n",
      { d: "2026-01-30", t: "2026-01-30 09:00" },
    ],
    [
      "YAML 1.2 booleans only",
      "a: yes\nb: no\nc: on\nd: true\ne: False\n",
      { a: "yes", b: "no", c: "on", d: true, e: false },
    ],
    [
      "YAML 1.2 numbers",
      "a: 012\nb: 0o17\nc: 0x1F\nd: 1_000\ne: 1e3\n",
      { a: 12, b: 15, c: 31, d: "1_000", e: 1000 },
    ],
    ["nulls", "a: ~\nb: null\nc:\n", { a: null, b: null, c: null }],
    ["an empty file is null", "", null],
    ["a comment-only file is null", "# nothing\n", null],
    ["explicit document markers", "---\na: 1\n...\n", { a: 1 }],
    ["a tab after a colon", "a:\t1\n", { a: 1 }],
    ["block scalars", "a: |\n  x\n  y\nb: >-\n  p\n  q\n", { a: "x\ny\n", b: "p q" }],
    ["a few aliases are fine", "x: &x [1, 2]\ny: *x\n", { x: [1, 2], y: [1, 2] }],
  ])("%s", (_name, text, data) => {
    const r = readYaml(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data).toEqual(data);
  });

  test("the events cover the document", () => {
    const r = readYaml("a: [1]\n");
    expect(r.ok && r.events.length).toBeGreaterThan(3);
  });
});

describe("readYaml: refusals, each with a code, a hint and a position", () => {
  test.each([
    ["an unclosed flow list", "a: 1\nb: [1, 2\n", "yaml-syntax", "3:1"],
    ["a duplicated key", "a: 1\na: 2\n", "yaml-syntax", "2:1"],
    ["a tab as indentation", "\ta: 1\n", "yaml-syntax", "1:3"],
    ["an unknown tag", "a: 1\nb: !!binary aGk=\n", "yaml-syntax", "2:4"],
    ["two documents", "a: 1\n---\nb: 2\n", "yaml-multiple-documents", "3:1"],
    ["two documents, both marked", "---\na: 1\n---\n- b\n", "yaml-multiple-documents", "4:1"],
    ["an empty second document", "a: 1\n---\n", "yaml-multiple-documents", "3:1"],
    ["deep nesting", `${"[".repeat(100)}${"]".repeat(100)}`, "yaml-too-deep", "1:64"],
    ["a self-referencing alias", "x: 1\na: &a [*a]\n", "yaml-alias-bomb", "2:9"],
  ])("%s", (_name, text, code, at) => {
    const f = failure(text);
    expect([f.code, f.at]).toEqual([code, at]);
    expect(f.message).not.toBe("");
    expect(f.hint).not.toBe("");
  });

  test("a deep alias bomb (2^100 nodes) is refused without expanding it", () => {
    let bomb = "a0: &a0 [x, x]\n";
    for (let i = 1; i <= 100; i++) bomb += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
    // Expanding this would never finish; answering at all shows the work is bounded by the text.
    const f = failure(bomb);
    expect(f.code).toBe("yaml-alias-bomb");
    expect(f.at).toBe("2:11"); // the first alias: `*a0` on line 2
    expect(f.message).toContain(String(MAX_EXPANDED_NODES));
  });

  test("a wide alias bomb (too many aliases) is refused as one too", () => {
    const text = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [${Array(20_000).fill("*a").join(", ")}]\n`;
    expect(failure(text).code).toBe("yaml-alias-bomb");
  });

  test("a billion-laughs document just under the alias limit is refused", () => {
    const lol = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (const [p, c] of ["ab", "bc", "cd", "de", "ef", "fg", "gh", "hi"])
      lol.push(`${c}: &${c} [${Array(9).fill(`*${p}`).join(", ")}]`);
    expect(failure(`${lol.join("\n")}\n`).code).toBe("yaml-alias-bomb");
  });
});

describe("expandedSize", () => {
  const shared = [1, 2, 3];
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  test.each([
    ["a scalar", 42, 1],
    ["null", null, 1],
    ["a list", [1, 2], 3],
    ["a mapping", { a: 1, b: { c: 2 } }, 4],
    ["a shared list counts at every use", { x: shared, y: shared }, 9],
  ])("%s", (_name, value, size) => {
    expect(expandedSize(value, 100)).toBe(size);
  });

  test("a cycle counts as too large", () => {
    expect(expandedSize(cyclic, 100)).toBeGreaterThan(100);
    expect(expandedSize({ a: [cyclic] }, 1_000_000)).toBeGreaterThan(1_000_000);
  });

  test("stops counting soon after the limit", () => {
    let v: unknown = [0, 0];
    for (let i = 0; i < 200; i++) v = [v, v];
    const n = expandedSize(v, 1000);
    expect(n).toBeGreaterThan(1000);
    expect(n).toBeLessThan(3000);
  });
});

describe("locate, placeOf", () => {
  const text = [
    "summary:", //                     line 1
    "  active_task_id: T9", //         line 2
    "tasks:", //                       line 3
    "  - task_id: T1", //              line 4
    "    title: 'One'", //             line 5
    "    depends_on: [T2, T3]", //     line 6
    "  -", //                          line 7
    "    task_id: T2", //              line 8
    "    title:", //                   line 9
    "  - {task_id: T3, title: x}", //  line 10
    "last: 1", //                      line 11
  ].join("\n");
  const r = readYaml(text);
  if (!r.ok) throw new Error("fixture parses");
  const lines = new LineIndex(text);
  const where = (offset: number | undefined) => {
    if (offset === undefined) return undefined;
    const p = lines.position(offset);
    return `${p.line}:${p.col}`;
  };

  test.each<[YamlPath, string, string | undefined]>([
    [[], "1:1", undefined],
    [["summary"], "2:3", "1:1"],
    [["summary", "active_task_id"], "2:19", "2:3"],
    [["tasks"], "4:3", "3:1"],
    [["tasks", 0], "4:5", undefined],
    [["tasks", 0, "title"], "5:13", "5:5"], // a quoted scalar: its first character
    [["tasks", 0, "depends_on", 1], "6:22", undefined],
    [["tasks", 1], "8:5", undefined],
    [["tasks", 1, "task_id"], "8:14", "8:5"],
    [["tasks", 1, "title"], "9:5", "9:5"], // empty value: placed at its key
    [["tasks", 2, "title"], "10:26", "10:19"],
    [["last"], "11:7", "11:1"],
  ])("%j is at %s (key %s)", (path, value, key) => {
    const found = locate(r.events, text, [path]);
    const place = found.get(pathKey(path));
    expect(where(place?.value)).toBe(value);
    expect(where(place?.key)).toBe(key);
    expect(placeOf(found, path).exact).toBe(true);
  });

  test.each<[YamlPath, YamlPath, string]>([
    [["tasks", 0, "note"], ["tasks", 0], "4:5"],
    [["tasks", 7, "title"], ["tasks"], "4:3"],
    [["nope", "deeper"], [], "1:1"],
    [["tasks", 0, "depends_on", 5], ["tasks", 0, "depends_on"], "6:17"],
  ])("a missing path %j falls back to its deepest ancestor %j", (path, ancestor, at) => {
    const found = locate(r.events, text, [path]);
    const { place, exact } = placeOf(found, path);
    expect(exact).toBe(false);
    expect(place).toEqual(found.get(pathKey(ancestor)));
    expect(where(place.value)).toBe(at);
  });

  test("complex keys are not addressable, and do not shift the keys after them", () => {
    // readYaml refuses complex keys, but locate must still cope with the events of such a file.
    const src = "? [complex, key]\n: {deep: 1}\nlast: 2\n";
    expect(readYaml(src).ok).toBe(false);
    const found = locate(parseEvents(src, {}), src, [
      ["complex,key", "deep"],
      ["complex"],
      ["last"],
      ["deep"],
    ]);
    expect([...found.keys()]).toEqual([pathKey([]), pathKey(["last"])]);
    expect(found.get(pathKey(["last"]))).toEqual({ value: src.indexOf("2"), key: src.indexOf("last") });
  });

  test("only the requested paths and their ancestors are recorded", () => {
    const found = locate(r.events, text, [["tasks", 0, "title"]]);
    expect([...found.keys()].sort()).toEqual(
      [[], ["tasks"], ["tasks", 0], ["tasks", 0, "title"]].map(pathKey).sort(),
    );
  });

  test("with nothing found, placeOf points at the start of the file", () => {
    expect(placeOf(new Map(), ["a"])).toEqual({ place: { value: 0 }, exact: false });
  });
});

describe("showPath, pathKey", () => {
  test.each<[YamlPath, string]>([
    [[], "(document)"],
    [["summary"], "summary"],
    [["tasks", 3, "title"], "tasks[3].title"],
    [["tasks", 0, "acceptance_criteria", 1, "check"], "tasks[0].acceptance_criteria[1].check"],
    [[0, "a"], "[0].a"],
  ])("%j -> %s", (path, shown) => {
    expect(showPath(path)).toBe(shown);
  });

  test("pathKey tells apart paths that join alike", () => {
    expect(pathKey(["a.b"])).not.toBe(pathKey(["a", "b"]));
    expect(pathKey(["tasks", 1])).toBe(pathKey(["tasks", "1"])); // numbers and their strings are one key
  });
});

describe("placeDiagnostics", () => {
  const text = "summary:\n  colour: blue\ntasks:\n  - task_id: T1\n    title:\n    status: done\n";
  const r = readYaml(text);
  if (!r.ok) throw new Error("fixture parses");
  const d = (path: YamlPath, code: string, at?: "key" | "value"): PathDiagnostic => ({
    path,
    severity: "error",
    code,
    message: code,
    hint: "h",
    ...(at ? { at } : {}),
  });

  test("each diagnostic gets file:line:col, sorted by position", () => {
    const placed = placeDiagnostics("checklist.yaml", text, r.events, [
      d(["tasks", 0, "status"], "unknown-status"),
      d(["summary", "colour"], "unknown-key", "key"),
      d(["tasks", 0, "title"], "wrong-type"),
      d(["tasks", 0, "note"], "missing-field", "key"),
      d([], "no-summary"),
    ]);
    expect(placed.map((p) => `${p.file}:${p.line}:${p.col} ${p.code}`)).toEqual([
      "checklist.yaml:1:1 no-summary",
      "checklist.yaml:2:3 unknown-key",
      "checklist.yaml:4:5 missing-field", // not found: the task, and its value (there is no key)
      "checklist.yaml:5:5 wrong-type",
      "checklist.yaml:6:13 unknown-status",
    ]);
    expect(placed[0]).toMatchObject({ severity: "error", message: "no-summary", hint: "h" });
  });

  test("at: key points at the key, otherwise at the value", () => {
    const [k] = placeDiagnostics("f", text, r.events, [d(["tasks", 0, "status"], "x", "key")]);
    const [v] = placeDiagnostics("f", text, r.events, [d(["tasks", 0, "status"], "x", "value")]);
    expect([k?.line, k?.col, v?.line, v?.col]).toEqual([6, 5, 6, 13]);
  });

  test("nothing to place gives nothing", () => {
    expect(placeDiagnostics("f", text, r.events, [])).toEqual([]);
  });
});
