/** Change checklist.yaml under its lock: fresh read, pure edit, re-validation, atomic write, cache refresh. */
import { createHash } from "node:crypto";
import type { ChecklistDoc } from "../core/checklist-doc.ts";
import { hashText, memoOf } from "../core/checklist-parse.ts";
import { splitTasks } from "../core/checklist-split.ts";
import { type TaskMemo, validateChecklist } from "../core/checklist-validate.ts";
import { encodeLike } from "../core/text-decode.ts";
import { assertWritable, writeAtomic } from "./atomic-write.ts";
import { invalid, placeAll, requireChecklist } from "./checklist-load.ts";
import { withFileLock } from "./lock.ts";
import { cacheEntry, writeCache } from "./parse-cache.ts";
import { display, FILES, filePath } from "./paths.ts";

/**
 * Apply `edit` to the current checklist and write the result (BOM and CRLF kept). The file is left
 * untouched when the checklist is invalid, the edit throws, or the result would not validate.
 * `beforeWrite` runs once the change is known to be valid and before it is written: the place to
 * journal it (the event is written before its effect, so a crash in between is visible in the log).
 */
export async function mutateChecklist<T>(
  dir: string,
  edit: (doc: ChecklistDoc) => { doc: ChecklistDoc; result: T },
  opts: { beforeWrite?: (result: T) => Promise<void> } = {},
): Promise<T> {
  const path = filePath(dir, FILES.checklist);
  return withFileLock(dir, path, async () => {
    const { doc, file, items } = await requireChecklist(dir);
    const { doc: next, result } = edit(doc);
    if (next.text === doc.text) return result;
    // Unchanged tasks keep their identity through an edit, so their diagnostics are reused.
    const taskMemo: TaskMemo = new Map();
    items?.tasks.forEach((t, i) => {
      const ds = items.diagnostics[i];
      if (ds && t && typeof t === "object") taskMemo.set(t, ds);
    });
    const check = validateChecklist(next.data, taskMemo);
    if (!check.value) throw invalid(await placeAll(next.text, display(path), check.diagnostics));
    const bytes = encodeLike(next.text, file);
    assertWritable(path); // before the journal entry, so a refused write leaves both files as they were
    await opts.beforeWrite?.(result);
    await writeAtomic(path, bytes);
    const hash = createHash("sha1").update(bytes, "utf8").digest("hex");
    const split = splitTasks(next.text);
    const hashes = split?.items.map(([a, b]) => hashText(next.text.slice(a, b)));
    const nextItems = hashes ? memoOf(next.text, hashes, next.data, taskMemo) : undefined;
    writeCache(
      dir,
      "checklist",
      hash,
      cacheEntry(true, check.value, next.index, check.diagnostics, nextItems),
    );
    return result;
  });
}
