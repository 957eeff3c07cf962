/** Change checklist.yaml under its lock: fresh read, pure edit, re-validation, atomic write, cache refresh. */
import { createHash } from "node:crypto";
import type { ChecklistDoc } from "../core/checklist-doc.ts";
import { validateChecklist } from "../core/checklist-validate.ts";
import { encodeLike } from "../core/text-decode.ts";
import { writeAtomic } from "./atomic-write.ts";
import { invalid, placeAll, requireChecklist } from "./checklist-load.ts";
import { withFileLock } from "./lock.ts";
import { writeCache } from "./parse-cache.ts";
import { display, FILES, filePath } from "./paths.ts";

/**
 * Apply `edit` to the current checklist and write the result (BOM and CRLF kept). The file is left
 * untouched when the checklist is invalid, the edit throws, or the result would not validate.
 */
export async function mutateChecklist<T>(dir: string, edit: (doc: ChecklistDoc) => { doc: ChecklistDoc; result: T }): Promise<T> {
  const path = filePath(dir, FILES.checklist);
  return withFileLock(dir, path, async () => {
    const { doc, file } = await requireChecklist(dir);
    const { doc: next, result } = edit(doc);
    if (next.text === doc.text) return result;
    const check = validateChecklist(next.data);
    if (!check.value) throw invalid(await placeAll(next.text, display(path), check.diagnostics));
    const bytes = encodeLike(next.text, file);
    await writeAtomic(path, bytes);
    const hash = createHash("sha1").update(bytes, "utf8").digest("hex");
    writeCache(dir, "checklist", hash, { valid: true, data: check.value, index: next.index, diagnostics: check.diagnostics });
    return result;
  });
}
