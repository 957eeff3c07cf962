/**
 * Keys as bytes, off the JavaScript heap: what a Map of strings did for Claude's de-duplication
 * (message and request ids of every response, kept to the end of a scan), without a string per key.
 * Strings on the heap were most of what a big scan kept, and aging them through V8's young
 * generation made it grow to its maximum (~64 MB of a 2 GB scan's peak memory).
 *
 * A string's bytes (`canonical`): 0x00 then its code units as bytes where all are below 256 (the
 * ids are ASCII), else 0x01 then its UTF-16 code units; equal strings, equal bytes, and only they.
 */

/** FNV-1a of bytes[start, start + n). */
export function hashBytes(bytes: Uint8Array, start: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** The canonical bytes of `s` written at `out[at]`, growing `out` as needed; the new end and buffer. */
export function putString(out: Uint8Array, at: number, s: string): { end: number; out: Uint8Array } {
  let wide = false;
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 255) {
      wide = true;
      break;
    }
  const n = 1 + (wide ? 2 * s.length : s.length);
  out = room(out, at + n);
  out[at] = wide ? 1 : 0;
  if (wide)
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out[at + 1 + 2 * i] = c & 255;
      out[at + 2 + 2 * i] = c >>> 8;
    }
  else for (let i = 0; i < s.length; i++) out[at + 1 + i] = s.charCodeAt(i);
  return { end: at + n, out };
}

/** `b`, or a copy at least `n` long (doubling). */
export function room(b: Uint8Array, n: number): Uint8Array {
  if (n <= b.length) return b;
  const bigger = new Uint8Array(Math.max(n, b.length * 2));
  bigger.set(b);
  return bigger;
}

/** Byte keys to numbers (>= 0), in the order first added. */
export class ByteKeys {
  private bytes: Uint8Array = new Uint8Array(1 << 16);
  private top = 0;
  private start = new Int32Array(1024);
  private length = new Int32Array(1024);
  private hash = new Int32Array(1024);
  private value = new Int32Array(1024);
  private count = 0;
  private table = new Int32Array(2048).fill(-1);

  get size(): number {
    return this.count;
  }

  /** The value of the key src[at, at + n) (its hash `h`), or -1. */
  get(src: Uint8Array, at: number, n: number, h: number): number {
    const i = this.find(src, at, n, h);
    return i < 0 ? -1 : this.value[i]!;
  }

  /** Sets the key's value (adding the key if new). */
  set(src: Uint8Array, at: number, n: number, h: number, value: number): void {
    const i = this.find(src, at, n, h);
    if (i >= 0) {
      this.value[i] = value;
      return;
    }
    const k = this.count++;
    if (k === this.start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.length = grow(this.length);
      this.hash = grow(this.hash);
      this.value = grow(this.value);
    }
    this.bytes = room(this.bytes, this.top + n);
    this.bytes.set(src.subarray(at, at + n), this.top);
    this.start[k] = this.top;
    this.length[k] = n;
    this.hash[k] = h;
    this.value[k] = value;
    this.top += n;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(k);
  }

  /** Each key's value, bytes and hash, in the order the keys were first added. */
  each(f: (value: number, bytes: Uint8Array, at: number, n: number, h: number) => void): void {
    for (let k = 0; k < this.count; k++)
      f(this.value[k]!, this.bytes, this.start[k]!, this.length[k]!, this.hash[k]! >>> 0);
  }

  /** The index of the key, or -1. */
  private find(src: Uint8Array, at: number, n: number, h: number): number {
    const mask = this.table.length - 1;
    const bytes = this.bytes;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const i = this.table[slot]!;
      if (i < 0) return -1;
      if (this.hash[i] !== (h | 0) || this.length[i] !== n) continue;
      const s = this.start[i]!;
      let x = 0;
      while (x < n && bytes[s + x] === src[at + x]) x++;
      if (x === n) return i;
    }
  }

  private place(k: number): void {
    const mask = this.table.length - 1;
    let slot = this.hash[k]! & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = k;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    for (let k = 0; k < this.count; k++) this.place(k);
  }
}
