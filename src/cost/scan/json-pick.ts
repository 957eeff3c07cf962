/**
 * Reads a few fields of one JSON line straight from its UTF-8 bytes, without decoding the line or
 * building its objects (JSON.parse of every usage line was most of a scan's time and garbage).
 *
 * A picker is made from a shape (the keys wanted, nested); `pick` walks the whole line and
 * validates it as JSON.parse would, recording the kind and position of each wanted value. It
 * answers false whenever it is unsure, and the caller then falls back to decoding and JSON.parse:
 * anything that is not plain JSON (bad syntax, a truncated line, a byte-order mark), a wanted key
 * seen twice in one object (JSON.parse keeps the last), a key written with escapes (it may spell a
 * wanted one), nesting deeper than 200. Only keys at their own path are recorded, so the same
 * names inside content (a tool result that holds `"usage"`) are never taken.
 *
 * Equivalence with decoding first: every ASCII byte decodes to itself and every other byte to
 * characters above U+007F (invalid UTF-8 to U+FFFD), so the structure, quotes, escapes and control
 * characters are the same seen in bytes as in the decoded text.
 *
 * Strings (most of a line's bytes) are crossed with simd.ts's stringEnd, 16 bytes at a time; the
 * bytes must be in the reader's wasm memory (lines.ts), others are copied into a scratch one.
 */
import { makeSimd, type Simd, SLACK, threadSimd } from "./simd.ts";

/** Kinds of a recorded value. */
export const K = {
  absent: 0,
  null: 1,
  true: 2,
  false: 3,
  /** A whole number written as 0 or up to 15 digits: `num` holds it. */
  int: 4,
  /** Any other number (negative, fraction, exponent, long): the caller falls back. */
  num: 5,
  /** A string of printable ASCII without escapes: its bytes are [start, end). */
  str: 6,
  /** A string with escapes or non-ASCII bytes (never empty): the caller falls back where it matters. */
  strX: 7,
  obj: 8,
  arr: 9,
} as const;

export type ShapeSpec = { readonly [key: string]: true | ShapeSpec };
/** The slot number of each key of a spec, nested like it. */
export type Slots<S extends ShapeSpec> = {
  readonly [k in keyof S]: S[k] extends ShapeSpec ? Slots<S[k]> & { readonly $: number } : number;
};

interface Level {
  /** Wanted keys as bytes, their slots and their nested levels (for keys wanted as objects). */
  keys: Uint8Array[];
  slots: number[];
  children: (Level | null)[];
  /** By key length: 1 + the first wanted key of that length (0: none); `next` chains the others. */
  byLength: Int16Array;
  next: Int16Array;
}

const LONGEST_KEY = 63;

const MAX_DEPTH = 200;

export class JsonPicker<S extends ShapeSpec> {
  readonly slots: Slots<S>;
  /** Per slot: its kind (K), for an int its value, for a string its bytes. */
  readonly kind: Uint8Array;
  readonly num: Float64Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  private readonly root: Level;
  private readonly count: number;

  constructor(spec: S) {
    let n = 0;
    const build = (s: ShapeSpec): { level: Level; slots: Record<string, unknown> } => {
      const level: Level = {
        keys: [],
        slots: [],
        children: [],
        byLength: new Int16Array(LONGEST_KEY + 1),
        next: new Int16Array(Object.keys(s).length),
      };
      const slots: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(s)) {
        const slot = n++;
        const bytes = Buffer.from(key, "latin1");
        if (bytes.length > LONGEST_KEY) throw new Error(`json-pick: key ${key} is too long`);
        const w = level.keys.length;
        level.next[w] = level.byLength[bytes.length]!;
        level.byLength[bytes.length] = w + 1;
        level.keys.push(bytes);
        level.slots.push(slot);
        if (sub === true) {
          level.children.push(null);
          slots[key] = slot;
        } else {
          const inner = build(sub);
          level.children.push(inner.level);
          slots[key] = { ...inner.slots, $: slot };
        }
      }
      return { level, slots };
    };
    const { level, slots } = build(spec);
    this.root = level;
    this.slots = slots as Slots<S>;
    this.count = n;
    this.kind = new Uint8Array(n);
    this.num = new Float64Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
  }

  /**
   * Reads b[from, to) (one line) as a JSON object, recording the wanted values; false: not sure
   * (not an object, not JSON as far as it can tell, or a case it leaves to JSON.parse).
   */
  pick(b: Buffer, from: number, to: number): boolean {
    const reader = threadSimd(0);
    if (b.buffer === reader.memory.buffer) strEnd = reader.stringEnd;
    else {
      // bytes from elsewhere (tests, a caller's own buffer): through a scratch copy
      const n = to - from;
      if (!scratch || scratch.memory.buffer.byteLength < n + SLACK) scratch = makeSimd(n + SLACK);
      const copy = Buffer.from(scratch.memory.buffer, 0, n + SLACK);
      b.copy(copy, 0, from, to);
      strEnd = scratch.stringEnd;
      return this.pickIn(copy, 0, n, b, from);
    }
    return this.pickIn(b, from, to, b, from);
  }

  private pickIn(b: Buffer, from: number, to: number, orig: Buffer, origFrom: number): boolean {
    this.kind.fill(0);
    let i = ws(b, from, to);
    if (i >= to || b[i] !== 0x7b) return false;
    i = this.object(b, i + 1, to, this.root, 0);
    if (i < 0 || ws(b, i, to) !== to) return false;
    if (b !== orig) {
      // positions in the caller's buffer
      const shift = origFrom - from;
      for (let k = 0; k < this.count; k++) {
        this.start[k]! += shift;
        this.end[k]! += shift;
      }
    }
    return true;
  }

  /** The ASCII string in a slot of kind str. */
  text(b: Buffer, slot: number): string {
    return latin1(b, this.start[slot]!, this.end[slot]!);
  }

  /** Whether a slot holds a str equal to `ascii`. */
  is(b: Uint8Array, slot: number, ascii: Uint8Array): boolean {
    if (this.kind[slot] !== K.str) return false;
    const s = this.start[slot]!;
    if (this.end[slot]! - s !== ascii.length) return false;
    for (let k = 0; k < ascii.length; k++) if (b[s + k] !== ascii[k]) return false;
    return true;
  }

  /** After `{`: the members of an object whose wanted keys are `level`; the index after `}`, or -1. */
  private object(b: Uint8Array, i: number, to: number, level: Level, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    i = ws(b, i, to);
    if (i < to && b[i] === 0x7d) return i + 1;
    const { keys, slots, children, byLength, next } = level;
    for (;;) {
      if (i >= to || b[i] !== 0x22) return -1;
      // the key: plain ASCII is compared; one with escapes may spell a wanted key (unsure)
      const k0 = i + 1;
      const k = strEnd(k0, to);
      if (k >= to || b[k] !== 0x22) return -1;
      const klen = k - k0;
      let which = -1;
      if (klen <= LONGEST_KEY)
        for (let w = byLength[klen]! - 1; w >= 0; w = next[w]! - 1) {
          const key = keys[w]!;
          let x = klen - 1;
          while (x >= 0 && key[x] === b[k0 + x]) x--;
          if (x < 0) {
            which = w;
            break;
          }
        }
      i = k + 1;
      if (i < to && b[i] !== 0x3a) i = ws(b, i, to);
      if (i >= to || b[i] !== 0x3a) return -1;
      i++;
      if (i < to && b[i]! <= 0x20) i = ws(b, i, to);
      if (i >= to) return -1;
      if (which < 0) i = skipValue(b, i, to, depth + 1);
      else {
        const slot = slots[which]!;
        if (this.kind[slot] !== K.absent) return -1; // a wanted key twice: JSON.parse keeps the last
        const child = children[which];
        if (child && b[i] === 0x7b) {
          this.kind[slot] = K.obj;
          i = this.object(b, i + 1, to, child, depth + 1);
        } else i = this.leaf(b, i, to, slot, depth + 1);
      }
      if (i < 0 || i >= to) return -1;
      let c = b[i]!;
      if (c <= 0x20) {
        i = ws(b, i, to);
        if (i >= to) return -1;
        c = b[i]!;
      }
      if (c === 0x7d) return i + 1;
      if (c !== 0x2c) return -1;
      i++;
      if (i < to && b[i]! <= 0x20) i = ws(b, i, to);
    }
  }

  /** A wanted value other than a wanted object: its kind and where it is; the index after it, or -1. */
  private leaf(b: Uint8Array, i: number, to: number, slot: number, depth: number): number {
    const c = b[i]!;
    if (c === 0x22) {
      const s = i + 1;
      const e = skipString(b, s, to);
      if (e < 0) return -1;
      let plain = true;
      for (let x = s; x < e - 1; x++) {
        const d = b[x]!;
        if (d === 0x5c || d > 0x7e) {
          plain = false;
          break;
        }
      }
      this.kind[slot] = plain ? K.str : K.strX;
      this.start[slot] = s;
      this.end[slot] = e - 1;
      return e;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      const j = skipNumber(b, i, to);
      if (j < 0) return -1;
      // 0, or 1-15 digits not starting with 0: exact as a double, the same as JSON.parse
      if (c !== 0x2d && j - i <= 15 && (c !== 0x30 || j - i === 1)) {
        let v = 0;
        let plainInt = true;
        for (let x = i; x < j; x++) {
          const d = b[x]! - 0x30;
          if (d < 0 || d > 9) {
            plainInt = false;
            break;
          }
          v = v * 10 + d;
        }
        if (plainInt) {
          this.kind[slot] = K.int;
          this.num[slot] = v;
          return j;
        }
      }
      this.kind[slot] = K.num;
      return j;
    }
    const j = skipValue(b, i, to, depth);
    if (j < 0) return -1;
    this.kind[slot] =
      c === 0x7b ? K.obj : c === 0x5b ? K.arr : c === 0x74 ? K.true : c === 0x66 ? K.false : K.null;
    return j;
  }

  /** Slots in use (for tests). */
  get size(): number {
    return this.count;
  }
}

/** The index of the first non-whitespace byte at or after i (JSON whitespace: space, tab, LF, CR). */
function ws(b: Uint8Array, i: number, to: number): number {
  while (i < to) {
    const c = b[i];
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else break;
  }
  return i;
}

/** Validates one JSON value at i (not wanted: nothing recorded); the index after it, or -1. */
function skipValue(b: Uint8Array, i: number, to: number, depth: number): number {
  const c = b[i];
  if (c === 0x22) return skipString(b, i + 1, to);
  if (c === 0x7b) {
    if (depth > MAX_DEPTH) return -1;
    i = ws(b, i + 1, to);
    if (i < to && b[i] === 0x7d) return i + 1;
    for (;;) {
      if (i >= to || b[i] !== 0x22) return -1;
      i = skipString(b, i + 1, to);
      if (i < 0) return -1;
      i = ws(b, i, to);
      if (i >= to || b[i] !== 0x3a) return -1;
      i = ws(b, i + 1, to);
      if (i >= to) return -1;
      i = skipValue(b, i, to, depth + 1);
      if (i < 0) return -1;
      i = ws(b, i, to);
      if (i >= to) return -1;
      const d = b[i];
      if (d === 0x7d) return i + 1;
      if (d !== 0x2c) return -1;
      i = ws(b, i + 1, to);
    }
  }
  if (c === 0x5b) {
    if (depth > MAX_DEPTH) return -1;
    i = ws(b, i + 1, to);
    if (i < to && b[i] === 0x5d) return i + 1;
    for (;;) {
      if (i >= to) return -1;
      i = skipValue(b, i, to, depth + 1);
      if (i < 0) return -1;
      i = ws(b, i, to);
      if (i >= to) return -1;
      const d = b[i];
      if (d === 0x5d) return i + 1;
      if (d !== 0x2c) return -1;
      i = ws(b, i + 1, to);
    }
  }
  if (c === 0x74) return word(b, i, to, TRUE);
  if (c === 0x66) return word(b, i, to, FALSE);
  if (c === 0x6e) return word(b, i, to, NULL);
  return skipNumber(b, i, to);
}

const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

function word(b: Uint8Array, i: number, to: number, w: Uint8Array): number {
  if (i + w.length > to) return -1;
  for (let k = 1; k < w.length; k++) if (b[i + k] !== w[k]) return -1;
  return i + w.length;
}

let scratch: Simd | undefined;
/** The wasm stringEnd of the memory being read. */
let strEnd: (pos: number, end: number) => number = () => -1;

/** After the opening quote: the index after the closing one, or -1 (a control character, a bad escape, no end). */
function skipString(b: Uint8Array, i: number, to: number): number {
  for (;;) {
    i = strEnd(i, to);
    if (i >= to) return -1;
    const c = b[i]!;
    if (c === 0x22) return i + 1;
    if (c !== 0x5c) return -1;
    i = escapeEnd(b, i, to);
    if (i < 0) return -1;
  }
}

/** At a backslash: the index after a valid escape, or -1. */
function escapeEnd(b: Uint8Array, i: number, to: number): number {
  if (i + 1 >= to) return -1;
  const e = b[i + 1];
  if (
    e === 0x22 ||
    e === 0x5c ||
    e === 0x2f ||
    e === 0x62 ||
    e === 0x66 ||
    e === 0x6e ||
    e === 0x72 ||
    e === 0x74
  )
    return i + 2;
  if (e !== 0x75 || i + 6 > to) return -1;
  for (let k = i + 2; k < i + 6; k++) {
    const h = b[k]!;
    if (!((h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))) return -1;
  }
  return i + 6;
}

/** A JSON number at i: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; the index after it, or -1. */
function skipNumber(b: Uint8Array, i: number, to: number): number {
  if (i < to && b[i] === 0x2d) i++;
  if (i >= to) return -1;
  let c = b[i]!;
  if (c === 0x30) i++;
  else if (c >= 0x31 && c <= 0x39) {
    i++;
    while (i < to && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  } else return -1;
  if (i < to && b[i] === 0x2e) {
    i++;
    const s = i;
    while (i < to && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === s) return -1;
  }
  if (i < to && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < to && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    const s = i;
    while (i < to && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === s) return -1;
  }
  c = i < to ? b[i]! : 0x20;
  // a number runs up to a delimiter; anything else (e.g. "01", "1x") is not JSON
  if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)
    return i;
  return -1;
}

/** A string from ASCII bytes. */
export const latin1 = (b: Buffer, start: number, end: number): string => b.toString("latin1", start, end);
