/**
 * Fast line access for log scans: reads a file in large chunks and hands over only the lines that
 * contain one of a few byte markers (e.g. `"usage"`), as bytes or decoded, without decoding or
 * splitting the rest (tool output lines of megabytes are skipped at SIMD speed, see simd.ts). A
 * line longer than `maxLine` is skipped and counted; invalid UTF-8 decodes to U+FFFD, so its line
 * still parses when the bytes were inside a string. A last line without a newline is still read (a
 * file being written).
 */

import { builtin } from "../../store/builtin.ts";
import { BASE, type Simd, SLACK, threadSimd } from "./simd.ts";
import type { ScanStats } from "./types.ts";

const { closeSync, openSync, readSync } = builtin("node:fs");
const { O_RDONLY } = builtin("node:fs").constants;

export interface LineStats {
  /** Lines skipped for being longer than maxLine. */
  tooLong: number;
  bytes: number;
}

const CHUNK = 1 << 20;
let decoder: InstanceType<typeof TextDecoder> | undefined; // made when first needed (Node loads TextDecoder on first use)

export interface LineOptions {
  /**
   * A short string inside every marker, searched instead of the markers (one pass over the bytes,
   * not one per marker); each hit is checked against the markers around it. Its first 4 bytes are
   * what the search compares (at SIMD speed, whatever they are).
   */
  anchor?: string;
  /** Also hand over the file's first line (e.g. a session header), whatever it holds. */
  firstLine?: boolean;
  /** Longer lines are skipped and counted (default 64 MiB). */
  maxLine?: number;
}

/**
 * Receives a line as bytes: buf[start, end), without its newline (or CR). `buf` is the reader's
 * buffer: valid only during the call.
 */
export type ByteLine = (buf: Buffer, start: number, end: number) => void;

/** Calls `onLine(text)` for each line holding any of `markers`; resolves with what it skipped. */
export function scanLines(
  file: string,
  markers: readonly string[],
  onLine: (line: string) => void,
  options: LineOptions = {},
): Promise<LineStats> {
  return scanLineBytes(file, markers, (buf, start, end) => onLine(decodeLine(buf, start, end)), options);
}

/** A line's text: invalid UTF-8 as U+FFFD, a byte-order mark kept. */
export function decodeLine(buf: Buffer, start: number, end: number): string {
  decoder ??= new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  return decoder.decode(buf.subarray(start, end));
}

/**
 * The reader's buffer: this thread's wasm memory, data in [D, D + cap) and SLACK bytes after it (the
 * searches read past their end); positions handed over are in the whole memory. Reused across
 * files; it grows for long lines and stays grown.
 */
let simd: Simd | undefined;
let buf: Buffer = Buffer.alloc(0);
let cap = 0;
const D = BASE;

function grow(to: number): void {
  simd = threadSimd(D + to + SLACK);
  const mem = simd.memory.buffer;
  buf = Buffer.from(mem, 0, mem.byteLength);
  cap = mem.byteLength - SLACK - D;
}

/** Calls `onLine(buf, start, end)` for each line holding any of `markers`; resolves with what it skipped. */
export async function scanLineBytes(
  file: string,
  markers: readonly string[],
  onLine: ByteLine,
  options: LineOptions = {},
): Promise<LineStats> {
  const maxLine = options.maxLine ?? 64 << 20;
  if (!simd) grow(CHUNK * 2);
  const finder = finderFor(markers, options.anchor);
  let wantFirst = options.firstLine ?? false;
  // Synchronous reads: the file is in the page cache or on a local disk, and each await of an
  // asynchronous read cost more (the event loop's round trip) than the read itself.
  const fd = openSync(file, O_RDONLY);
  const stats: LineStats = { tooLong: 0, bytes: 0 };
  // the limit of the current line (grows up to maxLine; the memory may be bigger from an earlier file)
  let size = Math.min(CHUNK * 2, cap);
  try {
    let len = 0; // bytes at the front of the data that belong to an unfinished line
    let skipping = false; // inside a too-long line: drop bytes up to its newline
    for (;;) {
      if (len === size) {
        if (size >= maxLine) {
          stats.tooLong++;
          skipping = true;
          len = 0;
        } else {
          size = Math.min(size * 2, maxLine);
          if (size > cap) grow(size);
        }
      }
      const bytesRead = readSync(fd, buf, D + len, Math.min(CHUNK, size - len), null);
      stats.bytes += bytesRead;
      const eof = bytesRead === 0;
      const end = D + len + bytesRead;
      let start = D;
      if (skipping) {
        const nl = simd!.find1(D + len, end, 10, 0, 0, 0);
        if (nl < 0) {
          len = 0;
          if (eof) break;
          continue;
        }
        skipping = false;
        start = nl + 1;
      }
      // complete lines are buf[start, limit); at the end of the file the rest is a line too
      const limit = eof ? end : simd!.lastByte(D, end, 10);
      if (wantFirst && (limit >= 0 || eof)) {
        wantFirst = false;
        let nl = simd!.find1(D, end, 10, 0, 0, 0);
        if (nl < 0) nl = end;
        if (finder(buf, D, nl) < 0) onLine(buf, D, nl > D && buf[nl - 1] === 13 ? nl - 1 : nl);
      }
      if (limit >= start) {
        scanBlock(buf, start, limit, finder, onLine);
        start = Math.min(limit + 1, end);
      }
      if (eof) break;
      if (start > D) buf.copy(buf, D, start, end);
      len = end - start;
    }
  } finally {
    closeSync(fd);
  }
  return stats;
}

type Finder = (view: Buffer, from: number, end: number) => number;

/** Whether buf[start, end) (a line handed over, in the reader's memory) holds `needle` (4 bytes or more). */
export function holds(buf: Buffer, start: number, end: number, needle: Uint8Array): boolean {
  const s = threadSimd(0);
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = needle;
  for (let at = s.find4(start, end, b0, b1, b2, b3); at >= 0; at = s.find4(at + 1, end, b0, b1, b2, b3)) {
    if (at + needle.length > end) return false;
    let k = 4;
    while (k < needle.length && buf[at + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

const finders = new Map<string, Finder>();
let lastFinder: { markers: readonly string[]; anchor: string | undefined; finder: Finder } | undefined;

/** The finder of markers and anchor, made once (a reader asks again for every file). */
function finderFor(markers: readonly string[], anchor: string | undefined): Finder {
  if (lastFinder && lastFinder.markers === markers && lastFinder.anchor === anchor) return lastFinder.finder;
  const key = `${anchor ?? ""}\u0000${markers.join("\u0000")}`;
  let f = finders.get(key);
  if (!f) {
    f = makeFinder(markers, anchor);
    finders.set(key, f);
  }
  lastFinder = { markers, anchor, finder: f };
  return f;
}

/** Where the next marker occurrence in view[from, end) is (-1: none). */
function makeFinder(markers: readonly string[], anchor: string | undefined): Finder {
  const needles = markers.map((m) => Buffer.from(m));
  if (!anchor) {
    const each = markers.map((m) => makeFinder([m], m));
    if (each.length === 1) return each[0]!;
    return (view, from, end) => {
      let hit = -1;
      for (const f of each) {
        const at = f(view, from, end);
        if (at >= 0 && (hit < 0 || at < hit)) hit = at;
      }
      return hit;
    };
  }
  const a = Buffer.from(anchor);
  if (!a.length) throw new Error("empty anchor");
  // for each marker, where the anchor sits in it
  const shapes: { n: Buffer; k: number }[] = [];
  for (const n of needles) {
    const before = shapes.length;
    for (let k = n.indexOf(a); k >= 0; k = n.indexOf(a, k + 1)) shapes.push({ n, k });
    if (shapes.length === before) throw new Error(`anchor ${anchor} is not in marker ${n.toString()}`);
  }
  const w = Math.min(a.length, 4);
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = a.subarray(0, w);
  return (view, from, end) => {
    const s = simd!;
    const find = w === 4 ? s.find4 : w === 3 ? s.find3 : w === 2 ? s.find2 : s.find1;
    for (let at = find(from, end, b0, b1, b2, b3); at >= 0; at = find(at + 1, end, b0, b1, b2, b3))
      for (const { n, k } of shapes) {
        const s0 = at - k;
        if (s0 < from || s0 + n.length > end) continue;
        let same = true;
        for (let x = 0; x < n.length; x++)
          if (view[s0 + x] !== n[x]) {
            same = false;
            break;
          }
        if (same) return s0;
      }
    return -1;
  };
}

/** The lines of view[start, end) (newline-separated) that hold a marker. */
function scanBlock(view: Buffer, start: number, end: number, find: Finder, onLine: ByteLine): void {
  const s = simd!;
  let pos = start;
  while (pos < end) {
    const hit = find(view, pos, end);
    if (hit < 0) return;
    const lineStart = s.lastByte(start, hit, 10) + 1;
    let lineEnd = s.find1(hit, end, 10, 0, 0, 0);
    if (lineEnd < 0) lineEnd = end;
    const from = Math.max(lineStart, start);
    let to = lineEnd;
    if (to > from && view[to - 1] === 13) to--;
    onLine(view, from, to);
    pos = lineEnd + 1;
  }
}

/**
 * scanLines for a log reader: bytes and too-long lines go to `stats` (as bad lines); a file that
 * cannot be read (no permission, gone meanwhile) is listed in `stats.unreadable`, not fatal.
 */
export async function scanFile(
  file: string,
  markers: readonly string[],
  onLine: ByteLine,
  stats: ScanStats,
  options: LineOptions = {},
): Promise<void> {
  stats.files++;
  try {
    const st = await scanLineBytes(file, markers, onLine, options);
    stats.badLines += st.tooLong;
    stats.bytes += st.bytes;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ["EACCES", "EPERM", "ENOENT", "EISDIR", "EIO"].includes(code)) stats.unreadable.push(file);
    else throw err;
  }
}
