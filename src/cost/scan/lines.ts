/**
 * Fast line access for log scans: reads a file in large chunks and hands over only the lines that
 * contain one of a few byte markers (e.g. `"usage"`), decoded, without decoding or splitting the
 * rest (tool output lines of megabytes are skipped at memchr speed). A line longer than `maxLine`
 * is skipped and counted; invalid UTF-8 decodes to U+FFFD, so its line still parses when the bytes
 * were inside a string. A last line without a newline is still read (a file being written).
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { ScanStats } from "./types.ts";

export interface LineStats {
  /** Lines skipped for being longer than maxLine. */
  tooLong: number;
  bytes: number;
}

const CHUNK = 1 << 20;
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
/** Read buffers, reused across files (a fresh 2 MB buffer per file kept the garbage collector busy). */
const pool: Buffer[] = [];

export interface LineOptions {
  /**
   * A short string inside every marker, searched instead of the markers (one pass over the bytes,
   * not one per marker); each hit is checked against the markers around it.
   */
  anchor?: string;
  /** Also hand over the file's first line (e.g. a session header), whatever it holds. */
  firstLine?: boolean;
  /** Longer lines are skipped and counted (default 64 MiB). */
  maxLine?: number;
}

/** Calls `onLine(text)` for each line holding any of `markers`; resolves with what it skipped. */
export async function scanLines(
  file: string,
  markers: readonly string[],
  onLine: (line: string) => void,
  options: LineOptions = {},
): Promise<LineStats> {
  const maxLine = options.maxLine ?? 64 << 20;
  const finder = makeFinder(markers, options.anchor);
  let wantFirst = options.firstLine ?? false;
  // Synchronous reads: the file is in the page cache or on a local disk, and each await of an
  // asynchronous read cost more (the event loop's round trip) than the read itself.
  const fd = openSync(file, "r");
  const stats: LineStats = { tooLong: 0, bytes: 0 };
  let buf = pool.pop() ?? Buffer.allocUnsafe(CHUNK * 2);
  try {
    let len = 0; // bytes at the front of buf that belong to an unfinished line
    let skipping = false; // inside a too-long line: drop bytes up to its newline
    for (;;) {
      if (len === buf.length) {
        if (buf.length >= maxLine) {
          stats.tooLong++;
          skipping = true;
          len = 0;
        } else {
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLine));
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
      }
      const bytesRead = readSync(fd, buf, len, Math.min(CHUNK, buf.length - len), null);
      stats.bytes += bytesRead;
      const eof = bytesRead === 0;
      const end = len + bytesRead;
      const view = buf.subarray(0, end);
      let start = 0;
      if (skipping) {
        const nl = view.indexOf(10, len);
        if (nl < 0) {
          len = 0;
          if (eof) break;
          continue;
        }
        skipping = false;
        start = nl + 1;
      }
      // complete lines are view[start, limit); at the end of the file the rest is a line too
      const limit = eof ? end : view.lastIndexOf(10);
      if (wantFirst && (limit >= 0 || eof)) {
        wantFirst = false;
        let nl = view.indexOf(10);
        if (nl < 0 || nl > end) nl = end;
        if (finder(view, 0, nl) < 0)
          onLine(decoder.decode(view.subarray(0, nl > 0 && view[nl - 1] === 13 ? nl - 1 : nl)));
      }
      if (limit >= start) {
        scanBlock(view, start, limit, finder, onLine);
        start = Math.min(limit + 1, end);
      }
      if (eof) break;
      if (start > 0) buf.copy(buf, 0, start, end);
      len = end - start;
    }
  } finally {
    closeSync(fd);
    if (buf.length === CHUNK * 2) pool.push(buf);
  }
  return stats;
}

type Finder = (view: Buffer, from: number, end: number) => number;

/** Where the next marker occurrence in view[from, end) is (-1: none). */
function makeFinder(markers: readonly string[], anchor: string | undefined): Finder {
  const needles = markers.map((m) => Buffer.from(m));
  if (!anchor) {
    return (view, from, end) => {
      let hit = -1;
      for (const n of needles) {
        const at = view.indexOf(n, from);
        if (at >= 0 && at < end && (hit < 0 || at < hit)) hit = at;
      }
      return hit;
    };
  }
  const a = Buffer.from(anchor);
  // for each marker, where the anchor sits in it
  const shapes = needles.map((n) => {
    const offsets: number[] = [];
    for (let k = n.indexOf(a); k >= 0; k = n.indexOf(a, k + 1)) offsets.push(k);
    if (!offsets.length) throw new Error(`anchor ${anchor} is not in marker ${n.toString()}`);
    return { n, offsets };
  });
  return (view, from, end) => {
    for (let at = view.indexOf(a, from); at >= 0 && at < end; at = view.indexOf(a, at + 1))
      for (const { n, offsets } of shapes)
        for (const k of offsets) {
          const s0 = at - k;
          if (s0 >= from && s0 + n.length <= end && view.compare(n, 0, n.length, s0, s0 + n.length) === 0)
            return s0;
        }
    return -1;
  };
}

/** The lines of view[start, end) (newline-separated) that hold a marker, decoded. */
function scanBlock(
  view: Buffer,
  start: number,
  end: number,
  find: Finder,
  onLine: (line: string) => void,
): void {
  let pos = start;
  while (pos < end) {
    const hit = find(view, pos, end);
    if (hit < 0) return;
    const lineStart = hit === 0 ? 0 : view.lastIndexOf(10, hit - 1) + 1;
    let lineEnd = view.indexOf(10, hit);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const from = Math.max(lineStart, start);
    let to = lineEnd;
    if (to > from && view[to - 1] === 13) to--;
    onLine(decoder.decode(view.subarray(from, to)));
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
  onLine: (line: string) => void,
  stats: ScanStats,
  options: LineOptions = {},
): Promise<void> {
  stats.files++;
  try {
    const st = await scanLines(file, markers, onLine, options);
    stats.badLines += st.tooLong;
    stats.bytes += st.bytes;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ["EACCES", "EPERM", "ENOENT", "EISDIR", "EIO"].includes(code)) stats.unreadable.push(file);
    else throw err;
  }
}
