/** Read and parse run-log.md (no locks, no writers: read-only commands stay light). */
import { parseRunLog } from "../core/run-log.ts";
import { display, FILES, filePath } from "./paths.ts";
import { readTextFile } from "./read-input.ts";

export function loadRunLog(dir: string) {
  const path = filePath(dir, FILES.runLog);
  const file = readTextFile(path)!;
  return { file, parsed: parseRunLog(file.text, display(path)) };
}
