import { describe, expect, test } from "vitest";
import { stateGapMs } from "../../src/dash/server.ts";

describe("stateGapMs", () => {
  test("a state every 200 ms while states are cheap, else ten times what the last one took", () => {
    expect(stateGapMs(0)).toBe(200);
    expect(stateGapMs(20)).toBe(200);
    expect(stateGapMs(45)).toBe(450);
    expect(stateGapMs(300)).toBe(3000);
  });
});
