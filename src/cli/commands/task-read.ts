/** `longrun task list` and `longrun task show`. */
import { criterionCheck, criterionText } from "../../core/criterion.ts";
import { checksOf } from "../../core/task-checks.ts";
import { indexById, statusOf, unmetDependencies } from "../../core/task-graph.ts";
import { findTask } from "../../core/task-lookup.ts";
import { canonicalStatus, WRITTEN_STATUSES } from "../../core/task-status.ts";
import { UserError } from "../../core/user-error.ts";
import { requireChecklist } from "../../store/checklist-load.ts";
import { list as listFlag, parse, positionals, repoDir } from "../args.ts";
import { clip, makeOut } from "../output.ts";

export async function list(argv: string[]): Promise<number> {
  const p = parse(argv, { status: { type: "string", multiple: true } }, "task list");
  positionals(p, [], "task list");
  const out = makeOut(!!p.values.json);
  const wanted = listFlag(p.values, "status")
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of wanted)
    if (!canonicalStatus(s))
      throw new UserError(
        `task list: --status \`${s}\` is not a status (one of ${WRITTEN_STATUSES.join(", ")})`,
      );
  const { doc } = await requireChecklist(repoDir(p.values));
  const tasks = doc.data.tasks ?? [];
  const byId = indexById(tasks);
  const shown = wanted.length
    ? tasks.filter((t) => wanted.some((s) => canonicalStatus(s) === statusOf(t)))
    : tasks;
  if (out.json) {
    out.data({
      tasks: shown.map((t) => ({
        task_id: t.task_id,
        title: t.title,
        status: t.status,
        depends_on: t.depends_on ?? [],
        waiting_on: unmetDependencies(t, byId).map((d) => d.id),
        attempts: t.attempts ?? 0,
      })),
    });
    return 0;
  }
  const idWidth = Math.max(4, ...shown.slice(0, 1000).map((t) => t.task_id.length));
  const lines: string[] = [];
  for (const t of shown) {
    const waiting = statusOf(t) === "not_started" ? unmetDependencies(t, byId) : [];
    lines.push(
      `${t.task_id.padEnd(idWidth)}  ${t.status.padEnd(11)}  ${clip(t.title, 80)}${waiting.length ? `  (waits on ${waiting.map((d) => d.id).join(", ")})` : ""}`,
    );
  }
  lines.push(`${shown.length} of ${tasks.length} tasks`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

export async function show(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "task show");
  const [id] = positionals(p, ["id"], "task show");
  const out = makeOut(!!p.values.json);
  const { doc } = await requireChecklist(repoDir(p.values));
  const t = findTask(doc, id!);
  const waiting = unmetDependencies(t, indexById(doc.data.tasks ?? []));
  const ready = statusOf(t) === "not_started" && waiting.length === 0;
  out.data({ task: t, ready, waiting_on: waiting, checks: checksOf(t) });
  out.line(`${t.task_id}  ${t.title}`);
  out.line(
    `status: ${t.status}${t.attempts ? ` (${t.attempts} attempts)` : ""}${t.milestone ? ", milestone" : ""}`,
  );
  if (t.depends_on?.length)
    out.line(
      `depends on: ${t.depends_on.join(", ")}${waiting.length ? ` (waiting on ${waiting.map((d) => `${d.id} ${d.status}`).join(", ")})` : " (all complete)"}`,
    );
  if (statusOf(t) === "not_started") out.line(ready ? "ready: yes" : "ready: no");
  if (t.description) out.line(`description: ${t.description.trim()}`);
  const criteria = t.acceptance_criteria ?? [];
  if (criteria.length) {
    out.line("acceptance criteria:");
    for (const c of criteria)
      out.line(
        `  - ${criterionText(c)}${criterionCheck(c) ? `  [check: ${criterionCheck(c)}]` : "  [attested]"}`,
      );
  }
  if (t.verify?.length) out.line(`verify: ${t.verify.join(" ; ")}`);
  if (t.implementation_notes) out.line(`implementation notes: ${String(t.implementation_notes).trim()}`);
  if (t.note) out.line(`note: ${t.note.trim().replace(/\n/g, "\n      ")}`);
  return 0;
}
