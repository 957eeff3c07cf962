// EventSet tells Codex events apart exactly as the string key `${ms},${model},${numbers}` did.
import { describe, expect, test } from "vitest";
import { EventSet } from "../../src/cost/scan/event-set.ts";

describe("EventSet", () => {
  test("adds what a set of string keys adds, on random events with many repeats", () => {
    let s = 1;
    const r = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const set = new EventSet();
    const keys = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const ms = pick([1771338195338, 1771338195339, 1.7e12 + 0.5, 0, -0, 2 ** 40 + 7, 5e15]);
      const model = pick([null, "null", "gpt-5", "gpt-5.2-codex", ""]);
      const n = () => pick([0, -0, 1, 7, 2 ** 31, 2 ** 32 + 1, 12345678901, Math.floor(r() * 50)]);
      const t = { input: n(), cached: n(), write: n(), output: n(), reasoning: n(), total: n() };
      const key = `${ms},${model},${t.input},${t.cached},${t.write},${t.output},${t.reasoning},${t.total}`;
      expect(set.add(ms, model, t)).toBe(!keys.has(key));
      keys.add(key);
    }
    expect(keys.size).toBeGreaterThan(2_000); // and the rest repeats
  });
});
