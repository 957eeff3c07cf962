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
 * The walk is simd.ts's `pick` (WebAssembly: a JavaScript loop over bytes costs a few ns a byte);
 * the shape is a table in the module's memory, and so are the results, read here through views.
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
  /**
   * A string of printable ASCII without escapes: its bytes are [start, end); `num` holds its
   * Date.parse where it is a time of the usual shape (see fields.ts), else -1.
   */
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

/** A picker's table and results in one module instance's memory. */
interface Placed {
  simd: Simd;
  level: number;
  kinds: number;
  starts: number;
  ends: number;
  nums: number;
}

export class JsonPicker<S extends ShapeSpec> {
  readonly slots: Slots<S>;
  /** Per slot, after a pick: its kind (K), for an int its value, for a string its bytes. */
  kind: Uint8Array = new Uint8Array(0);
  num: Float64Array = new Float64Array(0);
  start: Int32Array = new Int32Array(0);
  end: Int32Array = new Int32Array(0);
  private readonly spec: S;
  private readonly count: number;
  private placed: Placed | undefined;
  /** For bytes outside the reader's memory (tests): a copy in a module instance of its own. */
  private scratch: Placed | undefined;

  constructor(spec: S) {
    this.spec = spec;
    let n = 0;
    const number = (s: ShapeSpec): Record<string, unknown> => {
      const slots: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(s)) {
        if (Buffer.byteLength(key) > 255 || /[^\x20-\x7e]|["\\]/.test(key))
          throw new Error(`json-pick: key ${key} is not plain ASCII`);
        const slot = n++;
        slots[key] = sub === true ? slot : { ...number(sub), $: slot };
      }
      return slots;
    };
    this.slots = number(spec) as Slots<S>;
    this.count = n;
  }

  /**
   * Reads b[from, to) (one line) as a JSON object, recording the wanted values; false: not sure
   * (not an object, not JSON as far as it can tell, or a case it leaves to JSON.parse).
   */
  pick(b: Buffer, from: number, to: number): boolean {
    let at = this.placed;
    // the reader's memory, the views on it (it has not grown since): straight to the walk
    if (!at || b.buffer !== this.kind.buffer) {
      const reader = threadSimd(0);
      if (b.buffer !== reader.memory.buffer) return this.pickCopy(b, from, to);
      this.placed ??= this.place(reader);
      at = this.view(this.placed);
    }
    this.kind.fill(0);
    return at.simd.pick(from, to, at.level, at.kinds, at.starts, at.ends, at.nums) === 1;
  }

  /** Bytes from elsewhere (tests): through a copy, positions then moved back to the caller's. */
  private pickCopy(b: Buffer, from: number, to: number): boolean {
    const n = to - from;
    if (!this.scratch || this.scratch.simd.memory.buffer.byteLength < SCRATCH + n + SLACK)
      this.scratch = this.place(makeSimd(SCRATCH + n + SLACK));
    const at = this.view(this.scratch);
    b.copy(Buffer.from(at.simd.memory.buffer), SCRATCH, from, to);
    this.kind.fill(0);
    if (at.simd.pick(SCRATCH, SCRATCH + n, at.level, at.kinds, at.starts, at.ends, at.nums) !== 1)
      return false;
    for (let k = 0; k < this.count; k++) {
      this.start[k]! += from - SCRATCH;
      this.end[k]! += from - SCRATCH;
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

  /** The tables of this shape in an instance's memory (see simd-code.ts's obj for their layout). */
  private place(simd: Simd): Placed {
    const mem = () => Buffer.from(simd.memory.buffer);
    const write = (s: ShapeSpec, slots: Record<string, unknown>): number => {
      const entries = Object.entries(s);
      const children = entries.map(([key, sub]) =>
        sub === true ? 0 : write(sub, slots[key] as Record<string, unknown>),
      );
      const level = simd.reserve(4 + 256 + 16 * entries.length);
      const m = mem();
      m.writeUInt32LE(entries.length, level);
      entries.forEach(([key], i) => {
        const bytes = Buffer.from(key, "latin1");
        const at = simd.reserve(bytes.length);
        bytes.copy(mem(), at);
        const slot = slots[key];
        const e = level + 4 + 256 + 16 * i;
        m.writeUInt32LE(at, e);
        m.writeUInt32LE(bytes.length, e + 4);
        m.writeUInt32LE(typeof slot === "number" ? slot : (slot as { $: number }).$, e + 8);
        m.writeUInt32LE(children[i]!, e + 12);
        // its bucket: this entry, or 1 where keys share one
        const bucket = level + 4 + 4 * ((bytes.length + bytes[0]! * 3 + bytes[bytes.length - 1]! * 5) & 63);
        m.writeUInt32LE(m.readUInt32LE(bucket) === 0 ? e : 1, bucket);
      });
      return level;
    };
    const level = write(this.spec, this.slots as Record<string, unknown>);
    const n = this.count;
    return {
      simd,
      level,
      kinds: simd.reserve(n),
      starts: simd.reserve(4 * n),
      ends: simd.reserve(4 * n),
      nums: simd.reserve(8 * n),
    };
  }

  /** Points kind/num/start/end at a placement's results (again after the memory grew). */
  private view(at: Placed): Placed {
    const buffer = at.simd.memory.buffer;
    if (this.kind.buffer !== buffer) {
      this.kind = new Uint8Array(buffer, at.kinds, this.count);
      this.start = new Int32Array(buffer, at.starts, this.count);
      this.end = new Int32Array(buffer, at.ends, this.count);
      this.num = new Float64Array(buffer, at.nums, this.count);
    }
    return at;
  }
}

/** Where bytes from outside the reader's memory are copied to (above the tables). */
const SCRATCH = 65536;

/** A string from ASCII bytes. */
export const latin1 = (b: Buffer, start: number, end: number): string => b.toString("latin1", start, end);
