import { describe, expect, test } from "vitest";
import {
  EVENTS_HEADING,
  FOLLOW_UPS_HEADING,
  formatEvent,
  formatStamp,
  insertEvent,
  isTag,
  parseRunLog,
  selectEvents,
  TAGS,
  type Tag,
} from "../../src/core/run-log.ts";
import { runLogTemplate } from "../../src/core/templates/run-log.ts";

const log = (...events: string[]) =>
  [
    "# Run log",
    "",
    "## Context",
    "Why we run.",
    "",
    EVENTS_HEADING,
    ...events,
    "",
    FOLLOW_UPS_HEADING,
    "- open question",
    "",
  ].join("\n");

const codes = (text: string) => parseRunLog(text).diagnostics.map((d) => [d.line, d.col, d.severity, d.code]);

describe("parseRunLog", () => {
  test("the init template is clean and holds one event", () => {
    const p = parseRunLog(runLogTemplate("2026-01-31 09:00"));
    expect(p.diagnostics).toEqual([]);
    expect(p.events).toEqual([
      { line: 9, stamp: "2026-01-31 09:00", tag: "note", text: "run log created by longrun init" },
    ]);
  });

  test("events: line, stamp, tag and text", () => {
    const p = parseRunLog(
      log(
        "- 2026-01-31 09:00 decision: use zod",
        "- 2026-01-31 09:05 evidence:",
        "- 2026-01-31 10:00 fix: a: b: c",
      ),
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.headingLine).toBe(5);
    expect(p.events).toEqual([
      { line: 7, stamp: "2026-01-31 09:00", tag: "decision", text: "use zod" },
      { line: 8, stamp: "2026-01-31 09:05", tag: "evidence", text: "" },
      { line: 9, stamp: "2026-01-31 10:00", tag: "fix", text: "a: b: c" },
    ]);
    expect(p.insertAt).toBe(9);
  });

  test("indented lines continue an event; blank lines inside it are kept", () => {
    const p = parseRunLog(
      log(
        "- 2026-01-31 09:00 failure: tests broke",
        "  first line",
        "",
        "    indented",
        "- 2026-01-31 09:01 note: next",
      ),
    );
    expect(p.events.map((e) => e.text)).toEqual(["tests broke\nfirst line\n\n  indented", "next"]);
    expect(p.diagnostics).toEqual([]);
  });

  test("a stray carriage return is ignored", () => {
    const p = parseRunLog(log("- 2026-01-31 09:00 note: crlf").replace(/\n/g, "\r\n"));
    expect(p.events).toEqual([{ line: 7, stamp: "2026-01-31 09:00", tag: "note", text: "crlf" }]);
    expect(p.diagnostics).toEqual([]);
  });

  test("HTML comments in the events section are skipped", () => {
    const p = parseRunLog(
      log(
        "<!-- one line -->",
        "<!--",
        "- 2026-01-31 09:00 note: hidden",
        "-->",
        "- 2026-01-31 09:01 note: shown",
      ),
    );
    expect(p.events.map((e) => e.text)).toEqual(["shown"]);
    expect(p.diagnostics).toEqual([]);
  });

  test.each([
    ["empty file", "", [[1, 1, "error", "empty-file"]]],
    ["blank file", "\n \n", [[1, 1, "error", "empty-file"]]],
    [
      "no title",
      `${EVENTS_HEADING}\n- 2026-01-31 09:00 note: x\n\n${FOLLOW_UPS_HEADING}\n`,
      [[1, 1, "warning", "no-title"]],
    ],
    ["no events section", "# Run log\n\nsome text\n", [[1, 1, "error", "no-events-section"]]],
    [
      "no follow-ups",
      `# Run log\n${EVENTS_HEADING}\n- 2026-01-31 09:00 note: x\n`,
      [[2, 1, "warning", "no-follow-ups"]],
    ],
    ["a date that does not exist", log("- 2026-02-30 09:00 note: x"), [[7, 3, "error", "bad-timestamp"]]],
    ["an hour that does not exist", log("- 2026-01-31 24:00 note: x"), [[7, 3, "error", "bad-timestamp"]]],
    ["an unknown tag", log("- 2026-01-31 09:00 idea: x"), [[7, 20, "error", "unknown-tag"]]],
    ["a star bullet", log("* 2026-01-31 09:00 note: x"), [[7, 1, "error", "bad-event"]]],
    ["no time", log("- 2026-01-31 note: x"), [[7, 1, "error", "bad-event"]]],
    ["no colon", log("- 2026-01-31 09:00 note x"), [[7, 1, "error", "bad-event"]]],
    ["a stray line", log("- 2026-01-31 09:00 note: x", "just text"), [[8, 1, "warning", "stray-line"]]],
    [
      "out of order",
      log("- 2026-01-31 09:00 note: x", "- 2026-01-30 09:00 note: y"),
      [[8, 3, "warning", "out-of-order"]],
    ],
    [
      "every problem at once",
      log(
        "- 2026-01-30 25:00 note: x",
        "- 2026-01-31 09:00 oops: y",
        "* bad",
        "stray",
        "- 2026-01-01 09:00 note: z",
      ),
      [
        [7, 3, "error", "bad-timestamp"],
        [8, 20, "error", "unknown-tag"],
        [9, 1, "error", "bad-event"],
        [10, 1, "warning", "stray-line"],
        [11, 3, "warning", "out-of-order"],
      ],
    ],
  ])("%s", (_name, text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  test("diagnostics name the file they were given", () => {
    const [d] = parseRunLog("", "logs/run-log.md").diagnostics;
    expect(d?.file).toBe("logs/run-log.md");
    expect(d?.hint).not.toBe("");
  });

  test("the events section ends at the next heading of level 1 or 2, not 3", () => {
    const p = parseRunLog(
      [
        "# Run log",
        EVENTS_HEADING,
        "- 2026-01-31 09:00 note: a",
        "### detail",
        "## Follow-ups",
        "- 2020-01-01 09:00 note: not an event",
      ].join("\n"),
    );
    expect(p.events.map((e) => e.text)).toEqual(["a"]);
    expect(codes(["# Run log", EVENTS_HEADING, "### detail"].join("\n"))).toContainEqual([
      3,
      1,
      "warning",
      "stray-line",
    ]);
  });
});

describe("formatEvent", () => {
  test.each([
    ["one line", "did it", ["- 2026-01-31 09:00 note: did it"]],
    ["empty", "", ["- 2026-01-31 09:00 note:"]],
    ["multi-line", "a\nb", ["- 2026-01-31 09:00 note: a", "  b"]],
    ["blank line inside", "a\n\nb", ["- 2026-01-31 09:00 note: a", "", "  b"]],
    ["CRLF and CR", "a\r\nb\rc", ["- 2026-01-31 09:00 note: a", "  b", "  c"]],
    ["trailing spaces and blank edges trimmed", "\n\na  \nb\t\n\n", ["- 2026-01-31 09:00 note: a", "  b"]],
  ])("%s", (_name, text, lines) => {
    expect(formatEvent("2026-01-31 09:00", "note", text)).toEqual(lines);
  });
});

describe("insertEvent", () => {
  const stamp = "2026-02-01 12:00";

  /** Insert, then prove: the lines before the insertion point are a byte-identical prefix, the rest a suffix. */
  function insertAndCheck(text: string, tag: Tag, body: string) {
    const parsed = parseRunLog(text);
    const lines = formatEvent(stamp, tag, body);
    const out = insertEvent(text, parsed, lines);
    const all = text.split("\n");
    const prefix = all.slice(0, parsed.insertAt).join("\n");
    const suffix = all.slice(parsed.insertAt).join("\n");
    expect(out.text.startsWith(prefix)).toBe(true);
    expect(out.text.endsWith(suffix)).toBe(true);
    expect(out.text.length).toBeGreaterThan(text.length);
    const back = parseRunLog(out.text);
    return { out, back, parsed };
  }

  test("after the last event, before the blank line and Follow-ups", () => {
    const text = runLogTemplate("2026-01-31 09:00");
    const { out, back } = insertAndCheck(text, "decision", "keep going");
    expect(out.line).toBe(10);
    expect(out.text.split("\n").slice(8, 12)).toEqual([
      "- 2026-01-31 09:00 note: run log created by longrun init",
      "- 2026-02-01 12:00 decision: keep going",
      "",
      FOLLOW_UPS_HEADING,
    ]);
    expect(back.diagnostics).toEqual([]);
    expect(back.events.at(-1)).toEqual({ line: 10, stamp, tag: "decision", text: "keep going" });
  });

  test("earlier lines are byte-identical, even odd ones (CR, trailing spaces, comments)", () => {
    const text = [
      "# Run log  ",
      "ctx\r",
      EVENTS_HEADING,
      "- 2026-01-31 09:00 note: x  ",
      "<!-- kept -->",
      "",
      FOLLOW_UPS_HEADING,
      "",
    ].join("\n");
    const { out } = insertAndCheck(text, "note", "y");
    expect(out.text).toBe(
      [
        "# Run log  ",
        "ctx\r",
        EVENTS_HEADING,
        "- 2026-01-31 09:00 note: x  ",
        "<!-- kept -->",
        `- ${stamp} note: y`,
        "",
        FOLLOW_UPS_HEADING,
        "",
      ].join("\n"),
    );
  });

  test.each([
    ["heading then blank then Follow-ups", `# Run log\n${EVENTS_HEADING}\n\n${FOLLOW_UPS_HEADING}\n`],
    ["heading then Follow-ups directly", `# Run log\n${EVENTS_HEADING}\n${FOLLOW_UPS_HEADING}\n`],
  ])("into an empty events section: %s", (_name, text) => {
    const { out, back } = insertAndCheck(text, "note", "first");
    expect(out.text).toBe(
      `# Run log\n${EVENTS_HEADING}\n\n- ${stamp} note: first\n\n${FOLLOW_UPS_HEADING}\n`,
    );
    expect(out.line).toBe(4);
    expect(back.events).toEqual([{ line: 4, stamp, tag: "note", text: "first" }]);
  });

  test("at the end of a file with no Follow-ups section", () => {
    const text = `# Run log\n${EVENTS_HEADING}\n- 2026-01-31 09:00 note: a\n`;
    const { out } = insertAndCheck(text, "fix", "b");
    expect(out.text).toBe(`${text}- ${stamp} fix: b\n`);
  });

  test("refuses a log without an events section", () => {
    const text = "# Run log\n";
    expect(() => insertEvent(text, parseRunLog(text), ["- x"])).toThrow(/no events section/);
  });

  test.each([
    "one line",
    "two\nlines",
    "a blank\n\nline inside",
    "  leading spaces on the first line",
    "deeper\n    indented\n  code",
    "looks like an event\n- 2026-01-31 09:00 note: but is text",
    "a heading inside\n## Follow-ups\n# Run log",
    "an html comment inside\n<!-- not a comment here -->\nstill the event",
    "an open comment\n<!-- never closed\nstill the event",
    "a tab\n\tindented line",
    "unicode: café ✓ 𝄞",
    "a: colon: everywhere:",
  ])("multi-line text stays one event and comes back as written: %j", (body) => {
    const text = log("- 2026-01-31 09:00 note: before");
    const { back } = insertAndCheck(text, "evidence", body);
    expect(back.diagnostics).toEqual([]);
    expect(back.events.map((e) => e.text)).toEqual(["before", body]);
    expect(back.events[1]?.tag).toBe("evidence");
    // and an event appended after it is still separate
    const again = insertEvent(
      insertEvent(text, parseRunLog(text), formatEvent(stamp, "evidence", body)).text,
      back,
      formatEvent(stamp, "note", "after"),
    );
    expect(parseRunLog(again.text).events.map((e) => e.text)).toEqual(["before", body, "after"]);
  });

  test("many appends: each keeps every earlier byte", () => {
    let text = runLogTemplate("2026-01-31 09:00");
    for (let i = 0; i < 20; i++) {
      const parsed = parseRunLog(text);
      const next = insertEvent(
        text,
        parsed,
        formatEvent(
          `2026-02-01 12:${String(i).padStart(2, "0")}`,
          TAGS[i % TAGS.length]!,
          `event ${i}\nline ${i}`,
        ),
      ).text;
      const cut = text.split("\n").slice(0, parsed.insertAt).join("\n");
      expect(next.startsWith(cut)).toBe(true);
      text = next;
    }
    const p = parseRunLog(text);
    expect(p.diagnostics).toEqual([]);
    expect(p.events).toHaveLength(21);
    expect(p.events.at(-1)?.text).toBe("event 19\nline 19");
  });
});

describe("tags, stamps and selection", () => {
  test("the tags", () => {
    expect(TAGS).toEqual(["decision", "evidence", "failure", "fix", "note"]);
    expect(isTag("fix")).toBe(true);
    expect(isTag("Fix")).toBe(false);
    expect(isTag("idea")).toBe(false);
  });

  test.each([
    ["2026-01-31T09:05:59.999Z", "2026-01-31 09:05"],
    ["2026-12-31T23:59:00Z", "2026-12-31 23:59"],
    ["2026-01-01T00:30:00+02:00", "2025-12-31 22:30"],
  ])("formatStamp(%s) is %s in UTC", (iso, stamp) => {
    expect(formatStamp(new Date(iso))).toBe(stamp);
  });

  const events = parseRunLog(
    log(
      "- 2026-01-30 09:00 note: a",
      "- 2026-01-31 09:00 failure: b",
      "- 2026-01-31 10:00 note: c",
      "- 2026-02-01 08:00 fix: d",
      "- 2026-02-01 09:00 note: e",
    ),
  ).events;

  test.each([
    [{}, "abcde"],
    [{ tag: "note" }, "ace"],
    [{ since: "2026-01-31 10:00" }, "cde"],
    [{ since: "2026-02" }, "de"],
    [{ tail: 2 }, "de"],
    [{ tail: 0 }, ""],
    [{ tail: 99 }, "abcde"],
    [{ tag: "note", tail: 2 }, "ce"],
    [{ tag: "note", since: "2026-01-31" }, "ce"],
    [{ tag: "decision" }, ""],
  ])("selectEvents(%j)", (opts, expected) => {
    expect(
      selectEvents(events, opts)
        .map((e) => e.text)
        .join(""),
    ).toBe(expected);
  });
});

describe("out-of-order warnings", () => {
  test("an invalid timestamp is reported once, not also as out of order", () => {
    const text =
      "# Run log\n\n## Events (append-only)\n- 2026-05-01 10:00 note: a\n- 2026-13-01 10:00 note: b\n- 2026-04-01 10:00 note: c\n\n## Follow-ups\n";
    const codes = parseRunLog(text).diagnostics.map((d) => `${d.line} ${d.code}`);
    expect(codes).toEqual(["5 bad-timestamp", "6 out-of-order"]);
  });
});
