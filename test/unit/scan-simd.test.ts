// simd.ts: the wasm searches the log scan runs on every byte, against plain loops on random bytes.
import { describe, expect, test } from "vitest";
import { makeSimd, SLACK } from "../../src/cost/scan/simd.ts";
import { moduleBytes } from "../../src/cost/scan/simd-code.ts";
import { SIMD_WASM } from "../../src/cost/scan/simd-wasm.ts";
import { rng } from "../kit/rng.ts";

/** A seeded PRNG (mulberry32). */
describe("simd.ts searches", () => {
  test("find, stringEnd and lastByte agree with plain loops", () => {
    const s = makeSimd(1 << 16);
    const u8 = new Uint8Array(s.memory.buffer);
    const r = rng(5);
    const alpha = [0x22, 0x5c, 0x41, 0x42, 0x0a, 0x1f, 0x20, 0x80, 0xff];
    for (let t = 0; t < 5000; t++) {
      const len = Math.floor(r() * 200);
      for (let i = 0; i < len + SLACK; i++) u8[i] = alpha[Math.floor(r() * alpha.length)]!;
      const pos = Math.floor(r() * (len + 1));
      const end = pos + Math.floor(r() * (len - pos + 1));
      let want = end;
      for (let i = pos; i < end; i++)
        if (u8[i] === 0x22 || u8[i] === 0x5c || u8[i]! < 0x20) {
          want = i;
          break;
        }
      expect(s.stringEnd(pos, end)).toBe(want);
      let last = -1;
      for (let i = end - 1; i >= pos; i--)
        if (u8[i] === 0x0a) {
          last = i;
          break;
        }
      expect(s.lastByte(pos, end, 0x0a)).toBe(last);
      for (const n of [1, 2, 3, 4]) {
        const p = [0, 1, 2, 3].map(() => alpha[2 + Math.floor(r() * 3)]!);
        let w = -1;
        for (let i = pos; i + n <= end && w < 0; i++)
          if (p.slice(0, n).every((b, k) => u8[i + k] === b)) w = i;
        const f = [s.find1, s.find2, s.find3, s.find4][n - 1]!;
        expect(f(pos, end, p[0]!, p[1]!, p[2]!, p[3]!)).toBe(w);
      }
    }
  });
});

describe("simd-wasm.ts", () => {
  test("holds the bytes simd-code.ts assembles (else: node scripts/simd-wasm.ts)", () => {
    expect(SIMD_WASM).toBe(Buffer.from(moduleBytes()).toString("base64"));
  });
});
