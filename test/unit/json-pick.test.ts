// json-pick.ts reads a few fields of a JSON line from its bytes: whenever it answers, JSON.parse of the
// decoded line must agree (same acceptance, same values at the wanted paths); random lines and random
// damage to them check that, beside the cases that must go to the slow path.
import { describe, expect, test } from "vitest";
import { isoTime } from "../../src/cost/scan/fields.ts";
import { JsonPicker, K } from "../../src/cost/scan/json-pick.ts";
import { rng } from "../kit/rng.ts";

const SPEC = {
  a: true,
  message: true,
  b: { c: true, d: { e: true, usage: true } },
  usage: { input_tokens: true, output_tokens: true, x: { y: true } },
} as const;
const picker = new JsonPicker(SPEC);
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** A seeded PRNG (mulberry32). */
const KEYS = [
  "a",
  "b",
  "c",
  "d",
  "e",
  "x",
  "y",
  "usage",
  "input_tokens",
  "output_tokens",
  "message",
  "z",
  "long_key_name",
];
const CHARS = [
  "a",
  "b",
  "Z",
  "0",
  " ",
  '"',
  "\\",
  "\n",
  "\t",
  "\u0001",
  "\u007f",
  "é",
  "完",
  "😀",
  "\u2028",
  "/",
];

function value(r: () => number, depth: number): unknown {
  const t = r();
  if (depth > 4 || t < 0.3) {
    const u = r();
    if (u < 0.15) return null;
    if (u < 0.25) return r() < 0.5;
    if (u < 0.6) {
      const v = r();
      if (v < 0.5) return Math.floor(r() * 1000);
      if (v < 0.6) return Math.floor(r() * 1e17);
      if (v < 0.7) return -Math.floor(r() * 100);
      if (v < 0.8) return r() * 100;
      if (v < 0.9) return 1e21 * r();
      return 0;
    }
    let s = "";
    const n = Math.floor(r() * (r() < 0.1 ? 80 : 10));
    for (let i = 0; i < n; i++)
      s += r() < 0.7 ? "abcdefghij"[Math.floor(r() * 10)] : CHARS[Math.floor(r() * CHARS.length)];
    return s;
  }
  if (t < 0.45) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) o[KEYS[Math.floor(r() * KEYS.length)]!] = value(r, depth + 1);
  return o;
}

/** Damage: a byte inserted, removed or replaced, or the end cut off. */
function damage(r: () => number, bytes: Buffer): Buffer {
  const at = Math.floor(r() * (bytes.length + 1));
  const bad = [
    0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x30, 0x31, 0x2d, 0x2e, 0x65, 0x01, 0x0a, 0x09, 0x20,
    0xff, 0xc3, 0xef, 0x75, 0x6e, 0x74,
  ];
  const b = bad[Math.floor(r() * bad.length)]!;
  const u = r();
  if (u < 0.3) return Buffer.concat([bytes.subarray(0, at), Buffer.from([b]), bytes.subarray(at)]);
  if (u < 0.6) return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  if (u < 0.9) {
    const c = Buffer.from(bytes);
    if (at < c.length) c[at] = b;
    return c;
  }
  return bytes.subarray(0, at);
}

/** The value at a path of the parsed line, as JSON.parse has it (undefined where a parent is not an object). */
function at(o: unknown, path: string[]): unknown {
  let v = o;
  for (const k of path) {
    if (!v || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Each slot of SPEC with its path. */
function paths(spec: object, prefix: string[] = [], slots: object = picker.slots): [string[], number][] {
  const out: [string[], number][] = [];
  for (const [k, sub] of Object.entries(spec)) {
    const s = (slots as Record<string, unknown>)[k];
    if (sub === true) out.push([[...prefix, k], s as number]);
    else {
      out.push([[...prefix, k], (s as { $: number }).$]);
      out.push(...paths(sub, [...prefix, k], s as object));
    }
  }
  return out;
}
const PATHS = paths(SPEC);

/** Checks pick against JSON.parse on one line; returns whether the picker answered. */
function check(line: Buffer): boolean {
  let parsed: unknown;
  let ok = true;
  try {
    parsed = JSON.parse(decoder.decode(line));
  } catch {
    ok = false;
  }
  const picked = picker.pick(line, 0, line.length);
  if (!picked) return false;
  expect(ok, `picked a line JSON.parse rejects: ${line.toString("latin1")}`).toBe(true);
  expect(parsed && typeof parsed === "object" && !Array.isArray(parsed)).toBe(true);
  for (const [path, slot] of PATHS) {
    const want = at(parsed, path);
    const kind = picker.kind[slot];
    const where = `${path.join(".")} in ${line.toString("latin1")}`;
    if (want === undefined) expect(kind, where).toBe(K.absent);
    else if (want === null) expect(kind, where).toBe(K.null);
    else if (want === true) expect(kind, where).toBe(K.true);
    else if (want === false) expect(kind, where).toBe(K.false);
    else if (typeof want === "number") {
      expect([K.int, K.num], where).toContain(kind);
      if (kind === K.int) expect(picker.num[slot], where).toBe(want);
    } else if (typeof want === "string") {
      expect([K.str, K.strX], where).toContain(kind);
      if (kind === K.str) expect(picker.text(line, slot), where).toBe(want);
      else expect(want.length, where).toBeGreaterThan(0);
    } else if (Array.isArray(want)) expect(kind, where).toBe(K.arr);
    else expect(kind, where).toBe(K.obj);
  }
  return true;
}

describe("JsonPicker agrees with JSON.parse", () => {
  test("on random lines: every one it answers, with the values at the wanted paths", () => {
    const r = rng(7);
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      const v = { ...(value(r, 0) as object), [KEYS[i % KEYS.length]!]: value(r, 1) };
      const text = JSON.stringify(v, null, i % 7 === 0 ? 1 : undefined);
      if (check(Buffer.from(text))) answered++;
    }
    expect(answered).toBeGreaterThan(2900); // all but lines with a wanted key written with escapes
  });

  test("on damaged lines: it answers only where JSON.parse accepts, and then the same", () => {
    const r = rng(11);
    let answered = 0;
    for (let i = 0; i < 20000; i++) {
      let bytes: Buffer = Buffer.from(JSON.stringify({ usage: value(r, 2), b: value(r, 1), a: value(r, 3) }));
      if (r() < 0.1)
        bytes = Buffer.concat([Buffer.from('{"usage":{"input_tokens":5},"a":2,'), bytes.subarray(1)]);
      for (let d = 1 + Math.floor(r() * 3); d > 0; d--) bytes = damage(r, bytes);
      if (check(bytes)) answered++;
    }
    expect(answered).toBeGreaterThan(1000);
  });

  test("it leaves to JSON.parse: a wanted key twice, an escaped key, a byte-order mark, deep nesting", () => {
    const no = (s: string | Buffer) =>
      expect(picker.pick(Buffer.from(s), 0, Buffer.from(s).length)).toBe(false);
    no('{"a":1,"a":2}');
    no('{"b":{"c":1},"b":{"c":2}}');
    no('{"\\u0061":1}');
    no('\ufeff{"a":1}');
    no(`{"z":${"[".repeat(300)}${"]".repeat(300)}}`);
    no('{"a":1} x');
    no('{"a":"\u0001"}');
    no('{"a":01}');
    no('[{"a":1}]');
  });

  test("same names inside content are not taken", () => {
    const line = Buffer.from(
      JSON.stringify({
        z: { usage: { input_tokens: 99 } },
        b: { d: { usage: 5 } },
        usage: { input_tokens: 1 },
      }),
    );
    expect(picker.pick(line, 0, line.length)).toBe(true);
    expect(picker.num[picker.slots.usage.input_tokens]).toBe(1);
    expect(picker.kind[picker.slots.b.d.usage]).toBe(K.int);
    expect(picker.num[picker.slots.b.d.usage]).toBe(5);
    expect(picker.kind[picker.slots.usage.x.$]).toBe(K.absent);
  });

  test("a line inside a bigger buffer is read between its bounds", () => {
    const text = 'xx{"a":"hi","usage":{"input_tokens":123456789012345}}yy';
    const b = Buffer.from(text);
    expect(picker.pick(b, 2, b.length - 2)).toBe(true);
    expect(picker.text(b, picker.slots.a)).toBe("hi");
    expect(picker.num[picker.slots.usage.input_tokens]).toBe(123456789012345);
    const long = Buffer.from('{"usage":{"input_tokens":1234567890123456}}');
    expect(picker.pick(long, 0, long.length)).toBe(true);
    expect(picker.kind[picker.slots.usage.input_tokens]).toBe(K.num); // 16 digits: left to JSON.parse
  });
});

describe("isoTime is Date.parse", () => {
  test("as the walk computes it for a picked time (else -1, and fields.ts asks isoTime)", () => {
    const r = rng(4);
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    const p = new JsonPicker({ t: true });
    for (let i = 0; i < 3000; i++) {
      const t = `${pad(1960 + Math.floor(r() * 100), 4)}-${pad(Math.floor(r() * 14), 2)}-${pad(Math.floor(r() * 33), 2)}T${pad(Math.floor(r() * 26), 2)}:${pad(Math.floor(r() * 61), 2)}:${pad(Math.floor(r() * 61), 2)}${r() < 0.5 ? `.${pad(Math.floor(r() * 1000), 3)}` : ""}${r() < 0.95 ? "Z" : "+00:00"}`;
      const b = Buffer.from(JSON.stringify({ t }));
      expect(p.pick(b, 0, b.length)).toBe(true);
      const ms = p.num[p.slots.t]!;
      if (ms >= 0) expect(ms, t).toBe(Date.parse(t));
      else expect(isoTime(b, p.start[p.slots.t]!, p.end[p.slots.t]!), t).toEqual(Date.parse(t));
    }
  });

  test("on the usual shape, its edges and near misses", () => {
    const r = rng(3);
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    const samples = [
      "2026-11-20T10:00:00.000Z",
      "2026-11-20T10:00:00Z",
      "2026-02-28T23:59:59.999Z",
      "2026-02-29T00:00:00.000Z",
      "2026-02-30T00:00:00.000Z",
      "2024-02-29T12:00:00.000Z",
      "2026-11-20T24:00:00.000Z",
      "2026-11-20T10:60:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "0099-01-01T00:00:00.000Z",
      "2026-11-20T10:00:00.123456Z",
      "2026-11-20T10:00:00.1Z",
      "2026-11-20 10:00:00.000Z",
      "2026-11-20T10:00:00.000+01:00",
      "2026-13-01T00:00:00.000Z",
      "2026-00-10T00:00:00.000Z",
      "2026-1a-10T00:00:00.000Z",
      "not a time",
      "",
    ];
    for (let i = 0; i < 3000; i++)
      samples.push(
        `${pad(1960 + Math.floor(r() * 100), 4)}-${pad(Math.floor(r() * 14), 2)}-${pad(Math.floor(r() * 33), 2)}T${pad(Math.floor(r() * 26), 2)}:${pad(Math.floor(r() * 61), 2)}:${pad(Math.floor(r() * 61), 2)}${r() < 0.5 ? `.${pad(Math.floor(r() * 1000), 3)}` : ""}Z`,
      );
    for (const s of samples) {
      const b = Buffer.from(`"${s}"`);
      expect(isoTime(b, 1, b.length - 1), s).toEqual(Date.parse(s));
    }
  });
});
