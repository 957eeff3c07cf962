/**
 * The log scan's byte work at native speed, in a small WebAssembly module (its source is
 * simd-code.ts, its bytes simd-wasm.ts). Node's Buffer.indexOf runs memchr on a
 * needle's first byte and then compares, so a needle whose first byte is common ("_" or '"' in JSON)
 * costs a call per occurrence; and JavaScript loops over bytes run at a few ns per byte. The module
 * owns its memory: files are read straight into it (from BASE on), JavaScript reads the same bytes.
 *
 *   find{1..4}(pos, end, b0, b1, b2, b3): the first i in [pos, end - n] where the n bytes b0.. are,
 *     else -1 (candidates by their first two bytes, 32 positions a round)
 *   stringEnd(pos, end): the first i in [pos, end) whose byte is `"`, `\` or below 0x20, else end
 *   lastByte(from, pos, b): the last i in [from, pos) whose byte is b, else -1
 *   pick(pos, end, level, kinds, starts, ends, nums): json-pick.ts's walk of one JSON line, 1 if
 *     it is plain JSON it could read, else 0 (see there, and simd-code.ts for the tables)
 *
 * All read up to 18 bytes past `end`: data must have SLACK bytes of memory after it.
 */
import { SIMD_WASM } from "./simd-wasm.ts";

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
/** Memory below BASE holds pickers' tables (json-pick.ts); data is read from BASE on. */
export const BASE = PAGE;

type Search = (pos: number, end: number, b0: number, b1: number, b2: number, b3: number) => number;
export interface Simd {
  memory: Memory;
  find1: Search;
  find2: Search;
  find3: Search;
  find4: Search;
  stringEnd: (pos: number, end: number) => number;
  lastByte: (from: number, pos: number, b: number) => number;
  pick: (
    pos: number,
    end: number,
    level: number,
    kinds: number,
    starts: number,
    ends: number,
    nums: number,
  ) => number;
  /** Reserves bytes below BASE (tables); their address. */
  reserve: (bytes: number) => number;
}

let compiled: object | undefined;
let shared: Simd | undefined;

/** A module instance with at least `bytes` of memory (its own). */
export function makeSimd(bytes: number): Simd {
  compiled ??= new WebAssembly.Module(Buffer.from(SIMD_WASM, "base64"));
  const e = new WebAssembly.Instance(compiled).exports as Omit<Simd, "reserve">;
  const have = e.memory.buffer.byteLength;
  if (have < bytes) e.memory.grow(Math.ceil((bytes - have) / PAGE));
  let top = 8; // address 0 stays unused (0 means "no table")
  return {
    ...e,
    reserve(n) {
      const at = (top + 7) & ~7;
      if (at + n > BASE) throw new Error("cost scan: the picker tables outgrew their page");
      top = at + n;
      return at;
    },
  };
}

/** This thread's instance (the log reader's buffer and its pickers), grown to at least `bytes`. */
export function threadSimd(bytes: number): Simd {
  shared ??= makeSimd(Math.max(bytes, BASE + SLACK));
  const have = shared.memory.buffer.byteLength;
  if (have < bytes) shared.memory.grow(Math.ceil((bytes - have) / PAGE));
  return shared;
}
