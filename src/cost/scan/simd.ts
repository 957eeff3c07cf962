/**
 * Byte searches at SIMD speed for the log scan, in a small WebAssembly module assembled here (so its
 * source is this file, not a binary). Node's Buffer.indexOf runs memchr on a needle's first byte and
 * then compares, so a needle whose first byte is common ("_" or '"' in JSON) costs a call per
 * occurrence; the wasm loop compares 16 positions at a time against all of the needle's bytes. The
 * module owns its memory: files are read straight into it, and JavaScript reads the same bytes.
 *
 *   find{1..4}(pos, end, b0, b1, b2, b3): the first i in [pos, end - n] where the n bytes b0.. are,
 *     else -1
 *   stringEnd(pos, end): the first i in [pos, end) whose byte is `"`, `\` or below 0x20, else end
 *   lastByte(from, pos, b): the last i in [from, pos) whose byte is b, else -1
 *
 * Both read up to 18 bytes past `end`: callers keep SLACK bytes of room after their data.
 */

/** What is used of the WebAssembly global (not in the es2023 lib without the DOM's). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export const SLACK = 64;
const PAGE = 65536;

export interface Simd {
  memory: Memory;
  find: (pos: number, end: number, b0: number, b1: number, b2: number, b3: number) => number;
  find1: Simd["find"];
  find2: Simd["find"];
  find3: Simd["find"];
  find4: Simd["find"];
  stringEnd: (pos: number, end: number) => number;
  lastByte: (from: number, pos: number, b: number) => number;
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vec([...Buffer.from(s)].map((b) => [b]));

const I32 = 0x7f;
const V128 = 0x7b;
// instructions (WebAssembly core spec 2.0, SIMD proposal numbering)
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const RETURN = 0x0f;
const EMPTY = 0x40;
const I32_GE_U = 0x4f;
const I32_LE_U = 0x4d;
const I32_CTZ = 0x68;
const I32_CLZ = 0x67;
const I32_LE_S = 0x4c;
const I32_GT_S = 0x4a;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const SELECT = 0x1b;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = (offset: number) => [...simd(0x00), 0, ...uleb(offset)]; // v128.load, byte-aligned
const SPLAT = simd(0x0f); // i8x16.splat
const EQ = simd(0x23); // i8x16.eq
const LT_U = simd(0x26); // i8x16.lt_u
const AND = simd(0x4e); // v128.and
const OR = simd(0x50); // v128.or
const BITMASK = simd(0x64); // i8x16.bitmask

/** A function body: its locals (count, type) and code. */
const body = (locals: [number, number][], code: number[]): number[] => {
  const b = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code, END];
  return [...uleb(b.length), ...b];
};

/** find{n}: params pos 0, end 1, b0..b3 2-5; locals v0..v3 6-9, bits 10, last 11. */
function findBody(n: number): number[] {
  const splats = [];
  for (let k = 0; k < n; k++) splats.push(...get(2 + k), ...SPLAT, ...set(6 + k));
  const compare = [];
  for (let k = 0; k < n; k++) compare.push(...get(0), ...load(k), ...get(6 + k), ...EQ, ...(k ? AND : []));
  return body(
    [
      [4, V128],
      [2, I32],
    ],
    [
      ...splats,
      // last = end - n: the last place a match may start
      ...get(1),
      ...i32(n),
      I32_SUB,
      ...set(11),
      BLOCK,
      EMPTY,
      LOOP,
      EMPTY,
      // while pos <= last (pos and last as signed: end - n may be below 0)
      ...get(0),
      ...get(11),
      I32_GT_S,
      BR_IF,
      1,
      ...compare,
      ...BITMASK,
      ...tee(10),
      IF,
      EMPTY,
      ...get(0),
      ...get(10),
      I32_CTZ,
      I32_ADD,
      ...tee(0),
      ...get(11),
      I32_LE_S,
      IF,
      EMPTY,
      ...get(0),
      RETURN,
      END,
      ...i32(-1),
      RETURN,
      END,
      ...get(0),
      ...i32(16),
      I32_ADD,
      ...set(0),
      BR,
      0,
      END,
      END,
      ...i32(-1),
    ],
  );
}

/** stringEnd: params pos 0, end 1; locals quote 2, backslash 3, space 4, v 5 (v128), bits 6. */
const stringEndBody = body(
  [
    [4, V128],
    [1, I32],
  ],
  [
    ...[...i32(0x22), ...SPLAT, ...set(2)],
    ...[...i32(0x5c), ...SPLAT, ...set(3)],
    ...[...i32(0x20), ...SPLAT, ...set(4)],
    BLOCK,
    EMPTY,
    LOOP,
    EMPTY,
    ...[...get(0), ...get(1), I32_GE_U, BR_IF, 1],
    ...[...get(0), ...load(0), ...tee(5), ...get(2), ...EQ],
    ...[...get(5), ...get(3), ...EQ, ...OR],
    ...[...get(5), ...get(4), ...LT_U, ...OR],
    ...BITMASK,
    ...tee(6),
    IF,
    EMPTY,
    // a hit: pos + its lane, unless that is past end
    ...[...get(0), ...get(6), I32_CTZ, I32_ADD, ...tee(0), ...get(1), I32_LE_U],
    ...[IF, EMPTY, ...get(0), RETURN, END],
    ...[...get(1), RETURN],
    END,
    ...[...get(0), ...i32(16), I32_ADD, ...set(0), BR, 0],
    END,
    END,
    ...get(1),
  ],
);

/** lastByte: params from 0, pos 1, b 2; locals j 3, bits 4, needle 5 (v128). */
const lastByteBody = body(
  [
    [2, I32],
    [1, V128],
  ],
  [
    ...[...get(2), ...SPLAT, ...set(5)],
    BLOCK,
    EMPTY,
    LOOP,
    EMPTY,
    ...[...get(1), ...get(0), I32_LE_S, BR_IF, 1],
    // j = max(pos - 16, from); lanes at or past pos are masked off
    ...[
      ...get(1),
      ...i32(16),
      I32_SUB,
      ...tee(3),
      ...get(0),
      ...get(3),
      ...get(0),
      I32_GT_S,
      SELECT,
      ...set(3),
    ],
    ...[...get(3), ...load(0), ...get(5), ...EQ, ...BITMASK],
    ...[...i32(1), ...get(1), ...get(3), I32_SUB, I32_SHL, ...i32(1), I32_SUB, I32_AND, ...tee(4)],
    IF,
    EMPTY,
    ...[...get(3), ...i32(31), ...get(4), I32_CLZ, I32_SUB, I32_ADD, RETURN],
    END,
    ...[...get(3), ...set(1), BR, 0],
    END,
    END,
    ...i32(-1),
  ],
);

function moduleBytes(pages: number): Uint8Array {
  const findType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const endType = [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])];
  const lastType = [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])];
  const exports = [
    [...name("find1"), 0x00, 0],
    [...name("find2"), 0x00, 1],
    [...name("find3"), 0x00, 2],
    [...name("find4"), 0x00, 3],
    [...name("stringEnd"), 0x00, 4],
    [...name("lastByte"), 0x00, 5],
    [...name("memory"), 0x02, 0],
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([findType, endType, lastType])),
    ...section(3, vec([[0], [0], [0], [0], [1], [2]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec([findBody(1), findBody(2), findBody(3), findBody(4), stringEndBody, lastByteBody])),
  ]);
}

let compiled: object | undefined;
let shared: Simd | undefined;

/** This thread's instance (the log reader's buffer), grown to at least `bytes` of memory. */
export function threadSimd(bytes: number): Simd {
  shared ??= makeSimd(bytes);
  const have = shared.memory.buffer.byteLength;
  if (have < bytes) shared.memory.grow(Math.ceil((bytes - have) / PAGE));
  return shared;
}

/** A module instance with at least `bytes` of memory (its own: one per reader that needs one). */
export function makeSimd(bytes: number): Simd {
  const pages = Math.ceil(bytes / PAGE);
  compiled ??= new WebAssembly.Module(moduleBytes(1));
  const inst = new WebAssembly.Instance(compiled);
  const e = inst.exports as unknown as Omit<Simd, "find">;
  if (pages > 1) e.memory.grow(pages - 1);
  return { ...e, find: e.find4 };
}
