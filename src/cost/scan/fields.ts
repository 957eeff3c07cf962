/**
 * Values of picked fields (json-pick.ts) as the JSON.parse path would give them: numbers, strings,
 * times. Where a value is one the fast path leaves to JSON.parse (an escaped string, a number that
 * is not a plain whole one), `unsure` is set and the caller reads the line the slow way instead.
 */
import { type JsonPicker, K, latin1, type ShapeSpec } from "./json-pick.ts";

export class Fields<S extends ShapeSpec> {
  /** Set when a value read since the last reset needs the slow path. */
  unsure = false;
  private readonly strings = new Interner();
  readonly p: JsonPicker<S>;

  constructor(picker: JsonPicker<S>) {
    this.p = picker;
  }

  /** `count(v)` of the JSON path: a whole number >= 0, else undefined. */
  count(slot: number): number | undefined {
    const k = this.p.kind[slot];
    if (k === K.int) return this.p.num[slot];
    if (k === K.num) this.unsure = true;
    return undefined;
  }

  /**
   * A string value, else null (`typeof v === "string" ? v : null`); `shared`: one seen on many
   * lines (a model), made once.
   */
  string(b: Buffer, slot: number, shared = false): string | null {
    const k = this.p.kind[slot];
    if (k === K.str) {
      const s = this.p.start[slot]!;
      const e = this.p.end[slot]!;
      return shared ? this.strings.get(b, s, e) : latin1(b, s, e);
    }
    if (k === K.strX) this.unsure = true;
    return null;
  }

  /** A non-empty string value, else null (`typeof v === "string" && v !== "" ? v : null`). */
  nonEmpty(b: Buffer, slot: number, shared = false): string | null {
    const s = this.string(b, slot, shared);
    return s === "" ? null : s;
  }

  /** Whether a value is the string `ascii` (an escaped string may spell it: unsure). */
  is(b: Buffer, slot: number, ascii: Uint8Array): boolean {
    if (this.p.kind[slot] === K.strX) this.unsure = true;
    return this.p.is(b, slot, ascii);
  }

  /** `Date.parse(v)` of a string value (NaN for anything else). */
  time(b: Buffer, slot: number): number {
    const k = this.p.kind[slot];
    if (k === K.str) {
      // the walk computed the usual shape's ms (simd-code.ts iso), else -1
      const ms = this.p.num[slot]!;
      return ms >= 0 ? ms : isoTime(b, this.p.start[slot]!, this.p.end[slot]!);
    }
    if (k === K.strX) this.unsure = true;
    return Number.NaN;
  }
}

/**
 * Date.parse of the ASCII bytes b[s, e): `YYYY-MM-DDTHH:MM:SS.mmmZ` or without `.mmm`, computed
 * directly when every part is in range (a year from 1970, a day its month has: Date.parse rolls an
 * impossible day over, as Date.UTC would, but that is left to it); anything else through
 * Date.parse itself. simd-code.ts's iso does the same in the walk.
 */
export function isoTime(b: Buffer, s: number, e: number): number {
  const n = e - s;
  if (
    (n === 24 || n === 20) &&
    b[s + 4] === 0x2d &&
    b[s + 7] === 0x2d &&
    b[s + 10] === 0x54 &&
    b[s + 13] === 0x3a &&
    b[s + 16] === 0x3a &&
    b[e - 1] === 0x5a &&
    (n === 20 || b[s + 19] === 0x2e)
  ) {
    const year = digits(b, s, 4);
    const month = digits(b, s + 5, 2);
    const day = digits(b, s + 8, 2);
    const hour = digits(b, s + 11, 2);
    const minute = digits(b, s + 14, 2);
    const second = digits(b, s + 17, 2);
    const milli = n === 24 ? digits(b, s + 20, 3) : 0;
    if (
      year >= 1970 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysIn(year, month) &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      milli >= 0
    )
      return Date.UTC(year, month - 1, day, hour, minute, second, milli);
  }
  return Date.parse(latin1(b, s, e));
}

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : 30 + ((month + (month >> 3)) & 1);

/** The number written by `count` ASCII digits at b[s], or -1. */
function digits(b: Uint8Array, s: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = b[s + k]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Short ASCII strings made once and reused (models, ids seen on many lines). */
class Interner {
  private readonly slots: ({ bytes: Uint8Array; text: string } | undefined)[] = new Array(256);

  get(b: Buffer, s: number, e: number): string {
    const n = e - s;
    if (n === 0) return "";
    if (n > 64) return latin1(b, s, e);
    const h = (n * 31 + b[s]! * 7 + b[e - 1]! * 13 + b[s + (n >> 1)]!) & 255;
    const hit = this.slots[h];
    if (hit && hit.bytes.length === n) {
      const bytes = hit.bytes;
      let x = n - 1;
      while (x >= 0 && bytes[x] === b[s + x]) x--;
      if (x < 0) return hit.text;
    }
    const text = latin1(b, s, e);
    this.slots[h] = { bytes: new Uint8Array(b.subarray(s, e)), text };
    return text;
  }
}
