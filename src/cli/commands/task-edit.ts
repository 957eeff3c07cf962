/** `longrun task add|start|fail|archive|note`: checklist edits under the lock, each logged in run-log.md. */

import { updateTask } from "../../core/checklist-doc.ts";
import type { Criterion, Task } from "../../core/checklist-schema.ts";
import { formatStamp, type LogEvent, type Tag } from "../../core/run-log.ts";
import { indexById, unmetDependencies } from "../../core/task-graph.ts";
import { findTask } from "../../core/task-lookup.ts";
import { addTask, appendNote, nextTaskId, setStatus, touch } from "../../core/task-ops.ts";
import type { TaskStatus } from "../../core/task-status.ts";
import { UserError } from "../../core/user-error.ts";
import { mutateChecklist } from "../../store/checklist-write.ts";
import { appendLogEvent, assertCanAppend } from "../../store/run-log-write.ts";
import { list, type OptionSpec, parse, positionals, repoDir, str } from "../args.ts";
import { makeOut, plural } from "../output.ts";

async function transition(
  argv: string[],
  cmd: string,
  to: TaskStatus,
  tag: Tag,
  spec: OptionSpec,
  describe: (id: string, title: string, reason?: string) => string,
): Promise<number> {
  const p = parse(argv, spec, cmd);
  const [id] = positionals(p, ["id"], cmd);
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const reason = str(p.values, "reason");
  if (spec.reason && to === "failed" && !reason?.trim())
    throw new UserError(
      `${cmd}: --reason is required (say what failed, so the next attempt can learn from it)`,
    );
  assertCanAppend(dir);
  const now = new Date();
  const stamp = formatStamp(now);
  let event: LogEvent | undefined;
  const result = await mutateChecklist(
    dir,
    (doc) => {
      const task = findTask(doc, id!);
      if (to === "in_progress" && !p.values.force) {
        const waiting = unmetDependencies(task, indexById(doc.data.tasks ?? []));
        if (waiting.length)
          throw new UserError(
            `${id} waits on ${waiting.map((d) => `${d.id} (${d.status})`).join(", ")}; finish those first, or pass --force`,
          );
      }
      const extra = reason ? { note: appendNote(task.note, `${stamp} ${to}: ${reason}`) } : {};
      const r = setStatus(doc, id!, to, stamp, extra);
      return { doc: r.doc, result: { from: r.from, title: task.title } };
    },
    {
      beforeWrite: async (r) => {
        event = await appendLogEvent(dir, tag, describe(id!, r.title, reason), now);
      },
    },
  );
  out.data({ task_id: id, from: result.from, to, logged: event });
  out.line(`${id}: ${result.from} -> ${to}`);
  return 0;
}

export const start = (argv: string[]) =>
  transition(
    argv,
    "task start",
    "in_progress",
    "decision",
    { force: { type: "boolean" } },
    (id, title) => `${id} started: ${title}`,
  );

export const fail = (argv: string[]) =>
  transition(
    argv,
    "task fail",
    "failed",
    "failure",
    { reason: { type: "string" } },
    (id, title, reason) => `${id} failed: ${title}: ${reason}`,
  );

export const archive = (argv: string[]) =>
  transition(
    argv,
    "task archive",
    "archived",
    "note",
    { reason: { type: "string" } },
    (id, title, reason) => `${id} archived: ${title}${reason ? `: ${reason}` : ""}`,
  );

export async function note(argv: string[]): Promise<number> {
  const p = parse(argv, { replace: { type: "boolean" } }, "task note");
  const [id, text] = positionals(p, ["id", "text"], "task note");
  if (!text?.trim()) throw new UserError("task note: the text is empty (say what to note)");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const stamp = formatStamp(new Date());
  const noteText = await mutateChecklist(dir, (doc) => {
    const task = findTask(doc, id!);
    const next = p.values.replace ? text!.trim() : appendNote(task.note, text!);
    return { doc: touch(updateTask(doc, id!, { note: next }), stamp), result: next };
  });
  out.data({ task_id: id, note: noteText });
  out.line(`${id}: note ${p.values.replace ? "replaced" : "added"}`);
  return 0;
}

export async function add(argv: string[]): Promise<number> {
  const spec: OptionSpec = {
    id: { type: "string" },
    title: { type: "string" },
    description: { type: "string" },
    criterion: { type: "string", multiple: true },
    check: { type: "string", multiple: true },
    "depends-on": { type: "string", multiple: true },
    verify: { type: "string", multiple: true },
    milestone: { type: "boolean" },
    notes: { type: "string" },
  };
  const p = parse(argv, spec, "task add");
  positionals(p, [], "task add");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const title = str(p.values, "title")?.trim();
  if (!title)
    throw new UserError(
      'task add: --title is required (a short imperative, e.g. --title "Add retry to the fetcher")',
    );
  const criteria: Criterion[] = [
    ...list(p.values, "criterion")
      .map((c) => c.trim())
      .filter(Boolean),
    ...list(p.values, "check").map((c) => {
      const [text, command] = c.includes(" :: ") ? c.split(" :: ", 2) : [c, c];
      if (!command?.trim()) throw new UserError(`task add: --check "${c}" has no command after " :: "`);
      return { text: text!.trim(), check: command.trim() };
    }),
  ];
  const deps = list(p.values, "depends-on")
    .flatMap((d) => d.split(","))
    .map((d) => d.trim())
    .filter(Boolean);
  const verify = list(p.values, "verify")
    .map((v) => v.trim())
    .filter(Boolean);
  const stamp = formatStamp(new Date());
  assertCanAppend(dir);
  const task = await mutateChecklist(
    dir,
    (doc) => {
      const t: Task = {
        task_id: str(p.values, "id")?.trim() || nextTaskId(doc.data.tasks ?? []),
        title,
        description: str(p.values, "description")?.trim() ?? "",
        acceptance_criteria: criteria,
        implementation_notes: str(p.values, "notes")?.trim() ?? "",
        depends_on: deps,
        ...(verify.length ? { verify } : {}),
        ...(p.values.milestone ? { milestone: true } : {}),
        status: "not_started",
        note: "",
      };
      return { doc: addTask(doc, t, stamp), result: t };
    },
    { beforeWrite: async (t) => void (await appendLogEvent(dir, "note", `${t.task_id} added: ${t.title}`)) },
  );
  out.data({ task });
  out.line(
    `${task.task_id}: added (${task.acceptance_criteria?.length ? plural(task.acceptance_criteria.length, "criterion") : "no acceptance criteria yet: add some before starting it"})`,
  );
  return 0;
}
