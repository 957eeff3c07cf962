import { describe, expect, test } from "vitest";
import {
  canonicalStatus,
  checkTransition,
  STATUS_ALIASES,
  STATUSES,
  type TaskStatus,
  TRANSITIONS,
  WRITTEN_STATUSES,
} from "../../src/core/task-status.ts";

/** The transition table as the product defines it, written out so that any change to it is a visible decision. */
const LEGAL: Record<TaskStatus, TaskStatus[]> = {
  not_started: ["in_progress", "archived"],
  in_progress: ["complete", "failed", "not_started", "archived"],
  failed: ["in_progress", "not_started", "archived"],
  complete: ["in_progress", "archived"],
  archived: ["not_started"],
};

const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

describe("statuses", () => {
  test("the canonical statuses, in order", () => {
    expect(STATUSES).toEqual(["not_started", "in_progress", "complete", "failed", "archived"]);
  });

  test("archived_as_irrelevant is an accepted spelling of archived", () => {
    expect(STATUS_ALIASES).toEqual({ archived_as_irrelevant: "archived" });
    expect(WRITTEN_STATUSES).toEqual([...STATUSES, "archived_as_irrelevant"]);
  });

  test.each([
    ["not_started", "not_started"],
    ["in_progress", "in_progress"],
    ["complete", "complete"],
    ["failed", "failed"],
    ["archived", "archived"],
    ["archived_as_irrelevant", "archived"],
    ["done", undefined],
    ["Complete", undefined],
    [" complete", undefined],
    ["", undefined],
    [1, undefined],
    [null, undefined],
    [undefined, undefined],
    [["complete"], undefined],
  ])("canonicalStatus(%j) is %j", (written, expected) => {
    expect(canonicalStatus(written)).toBe(expected);
  });
});

describe("transitions", () => {
  test("the table is exactly the product's table", () => {
    expect(TRANSITIONS).toEqual(LEGAL);
  });

  test.each(pairs)("%s -> %s", (from, to) => {
    const legal = LEGAL[from].includes(to);
    const check = checkTransition(from, to);
    if (legal) expect(check).toEqual({ ok: true });
    else expect(check).toEqual({ ok: false, allowed: LEGAL[from] });
  });

  test("staying in the same status is not a transition", () => {
    for (const s of STATUSES) expect(checkTransition(s, s).ok).toBe(false);
  });

  test("an illegal move names the statuses that are allowed", () => {
    expect(checkTransition("not_started", "complete")).toEqual({
      ok: false,
      allowed: ["in_progress", "archived"],
    });
    expect(checkTransition("archived", "complete")).toEqual({ ok: false, allowed: ["not_started"] });
  });

  test("every status can be reached, and every status can be left", () => {
    const reachable = new Set(Object.values(TRANSITIONS).flat());
    for (const s of STATUSES) {
      expect(TRANSITIONS[s].length).toBeGreaterThan(0);
      if (s !== "not_started") expect(reachable.has(s)).toBe(true);
    }
  });
});
