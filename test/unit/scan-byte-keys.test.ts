// ByteKeys with putString's bytes tell strings apart exactly as a Map of the strings did.
import { describe, expect, test } from "vitest";
import { ByteKeys, hashBytes, putString } from "../../src/cost/scan/byte-keys.ts";

describe("ByteKeys", () => {
  test("maps what a Map of strings maps, on random strings (ASCII, Latin-1, wide, lone surrogates, NUL)", () => {
    let s = 7;
    const r = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const units = [0x61, 0x62, 0x00, 0xe9, 0xff, 0x100, 0x5b8c, 0xd800, 0xdc00, 0x2028];
    const strings = Array.from({ length: 400 }, () =>
      String.fromCharCode(
        ...Array.from({ length: Math.floor(r() * 6) }, () => units[Math.floor(r() * units.length)]!),
      ),
    );
    const keys = new ByteKeys();
    const map = new Map<string, number>();
    let bytes: Uint8Array = new Uint8Array(8);
    for (let i = 0; i < 20_000; i++) {
      const str = strings[Math.floor(r() * strings.length)]!;
      const w = putString(bytes, 0, str);
      bytes = w.out;
      const h = hashBytes(bytes, 0, w.end);
      expect(keys.get(bytes, 0, w.end, h)).toBe(map.get(str) ?? -1);
      if (!map.has(str)) {
        map.set(str, i);
        keys.set(bytes, 0, w.end, h, i);
      }
    }
    expect(keys.size).toBe(map.size);
    const order: number[] = [];
    keys.each((v) => order.push(v));
    expect(order).toEqual([...map.values()]);
  });
});
