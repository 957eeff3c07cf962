/** Task statuses and the one table of legal transitions between them. */

export const STATUSES = ["not_started", "in_progress", "complete", "failed", "archived"] as const;
export type TaskStatus = (typeof STATUSES)[number];

/** Spellings accepted in checklist.yaml and kept as written; each maps to a canonical status. */
export const STATUS_ALIASES: Readonly<Record<string, TaskStatus>> = {
  archived_as_irrelevant: "archived",
};

/** Every spelling a checklist may hold, for error messages and the JSON Schema. */
export const WRITTEN_STATUSES: readonly string[] = [...STATUSES, ...Object.keys(STATUS_ALIASES)];

/** from -> the statuses it may move to. The only place transitions are defined. */
export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  not_started: ["in_progress", "archived"],
  in_progress: ["complete", "failed", "not_started", "archived"],
  failed: ["in_progress", "not_started", "archived"],
  complete: ["in_progress", "archived"],
  archived: ["not_started"],
};

/** Canonical status of a written spelling, or undefined when it is not a status. */
export function canonicalStatus(written: unknown): TaskStatus | undefined {
  if (typeof written !== "string") return undefined;
  if ((STATUSES as readonly string[]).includes(written)) return written as TaskStatus;
  return STATUS_ALIASES[written];
}

export type TransitionCheck = { ok: true } | { ok: false; allowed: readonly TaskStatus[] };

/** Whether `from -> to` is legal; when not, the statuses `from` may move to. */
export function checkTransition(from: TaskStatus, to: TaskStatus): TransitionCheck {
  const allowed = TRANSITIONS[from];
  return allowed.includes(to) ? { ok: true } : { ok: false, allowed };
}
