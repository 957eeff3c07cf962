/** Append events to run-log.md under its lock, never touching earlier lines. */
import { formatDiagnostic } from "../core/diagnostic.ts";
import { formatEvent, formatStamp, insertEvent, type LogEvent, type Tag } from "../core/run-log.ts";
import { encodeLike } from "../core/text-decode.ts";
import { UserError } from "../core/user-error.ts";
import { assertWritable, writeAtomic } from "./atomic-write.ts";
import { withFileLock } from "./lock.ts";
import { display, FILES, filePath } from "./paths.ts";
import { loadRunLog } from "./run-log-read.ts";

/**
 * Refuse, before a command changes anything else, when run-log.md cannot take an event (no events
 * section, read-only, folder not writable), so the checklist and the log stay in step.
 */
export function assertCanAppend(dir: string): void {
  const { parsed, file } = loadRunLog(dir);
  if (parsed.headingLine === -1) {
    const d = parsed.diagnostics.find((x) => x.severity === "error");
    throw new UserError(
      d ? formatDiagnostic(d) : `${display(file.path)}: has no events section (see \`longrun init\`)`,
    );
  }
  assertWritable(file.path);
}

/** Append one event (multi-line text stays one event). Earlier lines are never changed. */
export async function appendLogEvent(
  dir: string,
  tag: Tag,
  text: string,
  at = new Date(),
): Promise<LogEvent> {
  if (text.trim() === "") throw new UserError("log text is empty (say what happened)");
  const path = filePath(dir, FILES.runLog);
  return withFileLock(dir, path, async () => {
    const { file, parsed } = loadRunLog(dir);
    if (parsed.headingLine === -1) {
      const d = parsed.diagnostics.find((x) => x.severity === "error");
      throw new UserError(
        `${display(path)}:${d?.line ?? 1}:${d?.col ?? 1}: ${d?.code ?? "no-events-section"}: ${d?.message ?? "no events section"} (${d?.hint ?? "see longrun init"})`,
      );
    }
    const stamp = formatStamp(at);
    const lines = formatEvent(stamp, tag, text);
    const next = insertEvent(file.text, parsed, lines);
    await writeAtomic(path, encodeLike(next.text, file));
    return { line: next.line, stamp, tag, text: text.trim() };
  });
}
