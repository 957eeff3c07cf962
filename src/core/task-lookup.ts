/** Find a task by id, or say which ids are close. Light: no YAML editing code comes with it. */
import type { ChecklistDoc } from "./checklist-doc.ts";
import type { Task } from "./checklist-schema.ts";
import { didYouMean } from "./did-you-mean.ts";
import { UserError } from "./user-error.ts";

export function findTask(doc: ChecklistDoc, id: string): Task {
  const tasks = doc.data.tasks ?? [];
  const t = tasks.find((x) => x.task_id === id);
  if (t) return t;
  const guess = didYouMean(
    id,
    tasks.map((x) => x.task_id),
  );
  throw new UserError(
    `no task \`${id}\` in checklist.yaml (${guess ? `did you mean ${guess}?` : "see `longrun task list`"})`,
  );
}
