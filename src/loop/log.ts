/** run-log.md lines of the supervisor's steps (an effect applied again after a crash adds none twice). */

import type { LogLine } from "../core/loop-events.ts";
import { formatEvent, formatStamp } from "../core/run-log.ts";
import { loadRunLog } from "../store/run-log-read.ts";
import { appendLogEvent } from "../store/run-log-write.ts";

/** A log line stamped now. */
export function logLine(tag: LogLine["tag"], text: string, at = new Date()): LogLine {
  return { tag, text, stamp: formatStamp(at) };
}

/**
 * Append the lines of a journaled step. `again` (the step is applied a second time, after a crash that
 * may have cut it short): a line run-log.md already holds (same stamp, tag and first line) is not
 * written twice.
 */
export async function writeLog(dir: string, lines: readonly LogLine[], again = false): Promise<void> {
  if (!lines.length) return;
  const have = again
    ? new Set(
        loadRunLog(dir)
          .file.text.split("\n")
          .map((x) => x.replace(/\r$/, "")),
      )
    : null;
  for (const l of lines) {
    if (have?.has(formatEvent(l.stamp, l.tag, l.text)[0]!)) continue;
    await appendLogEvent(dir, l.tag, l.text, new Date(`${l.stamp.replace(" ", "T")}:00Z`));
  }
}
