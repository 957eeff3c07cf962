/**
 * Fast line access for log scans: reads a file in large chunks and hands over only the lines that
 * contain one of a few byte markers (e.g. `"usage"`), decoded, without decoding or splitting the
 * rest (tool output lines of megabytes are skipped at memchr speed). A line longer than `maxLine`
 * is skipped and counted; invalid UTF-8 decodes to U+FFFD, so its line still parses when the bytes
 * were inside a string. A last line without a newline is still read (a file being written).
 */
import { open } from "node:fs/promises";
import type { ScanStats } from "./types.ts";

export interface LineStats {
  /** Lines skipped for being longer than maxLine. */
  tooLong: number;
  bytes: number;
}

const CHUNK = 1 << 20;
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Calls `onLine(text)` for each line holding any of `markers`; resolves with what it skipped. */
export async function scanLines(
  file: string,
  markers: readonly string[],
  onLine: (line: string) => void,
  maxLine = 64 << 20,
): Promise<LineStats> {
  const needles = markers.map((m) => Buffer.from(m));
  const fh = await open(file, "r");
  const stats: LineStats = { tooLong: 0, bytes: 0 };
  try {
    let buf = Buffer.allocUnsafe(CHUNK * 2);
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
      const { bytesRead } = await fh.read(buf, len, Math.min(CHUNK, buf.length - len), null);
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
      if (limit >= start) {
        scanBlock(view, start, limit, needles, onLine);
        start = Math.min(limit + 1, end);
      }
      if (eof) break;
      if (start > 0) buf.copy(buf, 0, start, end);
      len = end - start;
    }
  } finally {
    await fh.close();
  }
  return stats;
}

/** The lines of view[start, end) (newline-separated) that hold a needle, decoded. */
function scanBlock(
  view: Buffer,
  start: number,
  end: number,
  needles: Buffer[],
  onLine: (line: string) => void,
): void {
  const next = needles.map(() => -2); // next occurrence of each needle at or after pos (-1: none)
  let pos = start;
  while (pos < end) {
    let hit = -1;
    for (let i = 0; i < needles.length; i++) {
      if (next[i]! !== -1 && next[i]! < pos) next[i] = view.indexOf(needles[i]!, pos);
      const at = next[i]!;
      if (at >= 0 && at < end && (hit < 0 || at < hit)) hit = at;
    }
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
): Promise<void> {
  stats.files++;
  try {
    const st = await scanLines(file, markers, onLine);
    stats.badLines += st.tooLong;
    stats.bytes += st.bytes;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ["EACCES", "EPERM", "ENOENT", "EISDIR", "EIO"].includes(code)) stats.unreadable.push(file);
    else throw err;
  }
}
