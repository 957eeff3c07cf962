/**
 * Reading a file that another process appends to (a run journal): complete lines only, from a byte
 * offset, in bounded chunks, so a line being written is taken once it ends and a 1 GB file is never
 * held whole. A file that got shorter than what was read (replaced, or cut back) is reported, not read.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { LongStringCutter } from "../core/json-cut.ts";

export interface TailRead {
  lines: string[];
  /** Bytes of the file read so far (the start of the first line not taken yet). */
  offset: number;
  /** The file is shorter than `offset`: it was replaced or cut back. */
  shrunk: boolean;
  /** More complete bytes are waiting beyond this read (the chunk limit was hit). */
  more: boolean;
}

/** File size, or -1 when it cannot be read. */
export function sizeOf(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return -1;
  }
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/**
 * Read buffers, reused from call to call (what is returned is decoded or copied out of them): a poll
 * every 50 ms and a 1 GB catch-up in 256 KB reads would otherwise leave malloc ~15 MB it does not return.
 */
const scratches = [Buffer.alloc(0), Buffer.alloc(0)];
function scratch(i: 0 | 1, bytes: number): Buffer {
  if (scratches[i]!.length < bytes) scratches[i] = Buffer.allocUnsafe(bytes);
  return scratches[i]!.subarray(0, bytes);
}

/** Strings of a line longer than a read keep this many bytes (see readLinesFrom). */
export const LONG_LINE_KEEP = 64 << 10;

/**
 * The complete lines of `file` from byte `offset`, reading at most `maxBytes`. Lines are decoded as
 * UTF-8; a trailing `\r` is kept (JSON.parse ignores it). A line longer than `maxBytes` comes alone, read
 * in pieces of that size through a LongStringCutter: its strings over LONG_LINE_KEEP bytes are cut, so a
 * line of any size costs a bounded amount of memory. With `keep`, every line's strings over `keep` bytes
 * are cut (a reader that wants a line's fields, not its texts).
 */
export function readLinesFrom(file: string, offset: number, maxBytes = 4 << 20, keep?: number): TailRead {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return { lines: [], offset, shrunk: false, more: false };
  }
  try {
    const size = fstatSync(fd).size;
    if (size < offset) return { lines: [], offset, shrunk: true, more: false };
    if (size === offset) return { lines: [], offset, shrunk: false, more: false };
    const buf = scratch(0, Math.min(size - offset, maxBytes));
    const n = readSync(fd, buf, 0, buf.length, offset);
    const end = buf.subarray(0, n).lastIndexOf(10);
    // No complete line in the chunk: a long line, or one still being written.
    if (end === -1)
      return longLine(fd, offset, size, buf.subarray(0, n), Math.min(keep ?? LONG_LINE_KEEP, LONG_LINE_KEEP));
    return {
      lines: decodeLines(buf, end, keep),
      offset: offset + end + 1,
      shrunk: false,
      more: offset + n < size,
    };
  } finally {
    closeSync(fd);
  }
}

/** The line at `offset` whose first bytes are `first`, read on in pieces of that size and cut; none when it has no end yet. */
function longLine(fd: number, offset: number, size: number, first: Buffer, keep: number): TailRead {
  const none = { lines: [], offset, shrunk: false, more: false };
  const cutter = new LongStringCutter(keep);
  const piece = scratch(1, Math.max(1, first.length));
  let chunk = first;
  let at = offset;
  for (;;) {
    const nl = chunk.indexOf(10);
    if (nl !== -1) {
      cutter.push(chunk.subarray(0, nl));
      const next = at + nl + 1;
      return { lines: [cutter.end().toString("utf8")], offset: next, shrunk: false, more: next < size };
    }
    cutter.push(chunk);
    at += chunk.length;
    if (at >= size) return none;
    const n = readSync(fd, piece, 0, Math.min(piece.length, size - at), at);
    if (n <= 0) return none;
    chunk = piece.subarray(0, n);
  }
}

/**
 * The lines of `buf` up to byte `end` (a `\n`), each decoded on its own: no string of the whole chunk
 * is made, so each line is garbage as soon as it is taken, not when the chunk's last line is. With
 * `keep`, a line's strings over `keep` bytes are cut first.
 */
function decodeLines(buf: Buffer, end: number, keep?: number): string[] {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const nl = buf.indexOf(10, at);
    const stop = nl === -1 || nl > end ? end : nl;
    if (keep === undefined || stop - at <= keep) lines.push(buf.toString("utf8", at, stop));
    else {
      const cutter = new LongStringCutter(keep);
      cutter.push(buf.subarray(at, stop));
      lines.push(cutter.end().toString("utf8"));
    }
    if (stop === end) return lines;
    at = stop + 1;
  }
}

/**
 * The last complete lines of `file` within its final `bytes` (the first, partial line of the window is
 * dropped), and where the window started. For showing the end of a large journal at once.
 */
export function lastLines(file: string, bytes: number): { lines: string[]; start: number; end: number } {
  const size = sizeOf(file);
  if (size <= 0) return { lines: [], start: 0, end: 0 };
  const start = Math.max(0, size - bytes);
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return { lines: [], start: 0, end: 0 };
  }
  try {
    const buf = Buffer.allocUnsafe(size - start);
    const n = readSync(fd, buf, 0, buf.length, start);
    const chunk = buf.subarray(0, n);
    const from = start === 0 ? 0 : chunk.indexOf(10) + 1;
    const to = chunk.lastIndexOf(10);
    if (from <= 0 && start !== 0) return { lines: [], start: size, end: size };
    if (to < from) return { lines: [], start: start + from, end: start + from };
    const text = new StringDecoder("utf8").end(chunk.subarray(from, to));
    return { lines: text.split("\n"), start: start + from, end: start + to + 1 };
  } finally {
    closeSync(fd);
  }
}

/** Up to `limit` bytes of `file` from `offset`, cut back to a whole UTF-8 character. */
export function readPage(
  file: string,
  offset: number,
  limit: number,
): { text: string; size: number; offset: number; next: number } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const from = Math.min(Math.max(0, offset), size);
    const buf = Buffer.allocUnsafe(Math.min(limit, size - from));
    const n = readSync(fd, buf, 0, buf.length, from);
    let end = n;
    // Do not split a character: step back over continuation bytes to the start of the last one if it is cut.
    if (from + n < size) {
      let i = n - 1;
      while (i > 0 && n - i < 4 && (buf[i]! & 0xc0) === 0x80) i--;
      const lead = buf[i]!;
      const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (i + len > n) end = i;
    }
    // Nor start inside one (a page asked for at an arbitrary offset).
    let start = 0;
    while (start < end && start < 3 && (buf[start]! & 0xc0) === 0x80) start++;
    return {
      text: buf.subarray(start, end).toString("utf8"),
      size,
      offset: from + start,
      next: from + end,
    };
  } finally {
    closeSync(fd);
  }
}
