/**
 * Reading a file that another process appends to (a run journal): complete lines only, from a byte
 * offset, in bounded chunks, so a line being written is taken once it ends and a 1 GB file is never
 * held whole. A file that got shorter than what was read (replaced, or cut back) is reported, not read.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

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
 * The complete lines of `file` from byte `offset`, reading at most `maxBytes` (a line longer than that is
 * read whole). Lines are decoded as UTF-8; a trailing `\r` is kept (JSON.parse ignores it).
 */
export function readLinesFrom(file: string, offset: number, maxBytes = 4 << 20): TailRead {
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
    let want = Math.min(size - offset, maxBytes);
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, want, offset);
      const end = buf.subarray(0, n).lastIndexOf(10);
      if (end === -1) {
        // No complete line in the chunk: a long line, or one still being written.
        if (offset + n >= size) return { lines: [], offset, shrunk: false, more: false };
        want = Math.min(size - offset, want * 2);
        continue;
      }
      return {
        lines: decodeLines(buf, end),
        offset: offset + end + 1,
        shrunk: false,
        more: offset + n < size,
      };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The lines of `buf` up to byte `end` (a `\n`), each decoded on its own: no string of the whole chunk
 * is made, so each line is garbage as soon as it is taken, not when the chunk's last line is.
 */
function decodeLines(buf: Buffer, end: number): string[] {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const nl = buf.indexOf(10, at);
    const stop = nl === -1 || nl > end ? end : nl;
    lines.push(buf.toString("utf8", at, stop));
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
