/** `longrun task complete`: run the task's checks; mark it complete only when every one passes. */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseDuration } from "../../core/duration.ts";
import { formatStamp, type LogEvent } from "../../core/run-log.ts";
import { attestedCriteria, checksOf } from "../../core/task-checks.ts";
import { statusOf } from "../../core/task-graph.ts";
import { findTask } from "../../core/task-lookup.ts";
import { appendNote, setStatus } from "../../core/task-ops.ts";
import { checkTransition } from "../../core/task-status.ts";
import { UserError } from "../../core/user-error.ts";
import { runShell, type ShellResult } from "../../exec/run-shell.ts";
import { requireChecklist } from "../../store/checklist-load.ts";
import { mutateChecklist } from "../../store/checklist-write.ts";
import { loadConfig } from "../../store/config-store.ts";
import { display } from "../../store/paths.ts";
import { appendLogEvent, assertCanAppend } from "../../store/run-log-write.ts";
import { ensureStateDir } from "../../store/state-dir.ts";
import { parse, positionals, repoDir, str } from "../args.ts";
import { makeOut, plural } from "../output.ts";

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, { evidence: { type: "string" }, timeout: { type: "string" } }, "task complete");
  const [id] = positionals(p, ["id"], "task complete");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const evidence = str(p.values, "evidence")?.trim();
  const timeoutText = str(p.values, "timeout") ?? (await loadConfig(dir)).value?.verify?.timeout ?? "30m";
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined)
    throw new UserError(`task complete: --timeout \`${timeoutText}\` is not a duration (e.g. 90s, 30m, 2h)`);
  assertCanAppend(dir);
  const { doc } = await requireChecklist(dir);
  const task = findTask(doc, id!);
  const legal = checkTransition(statusOf(task), "complete");
  if (!legal.ok)
    throw new UserError(
      `${id} is ${task.status}; it cannot become complete (from ${statusOf(task)} it may become: ${legal.allowed.join(", ")}${statusOf(task) === "not_started" ? `; run \`longrun task start ${id}\` first` : ""})`,
    );
  const checks = checksOf(task);
  const attested = attestedCriteria(task);
  if ((attested.length > 0 || checks.length === 0) && !evidence)
    throw new UserError(
      attested.length
        ? `${id} has ${plural(attested.length, "criterion")} that no command checks ("${attested[0]}"${attested.length > 1 ? ", …" : ""}); pass --evidence "what shows they hold"`
        : `${id} has no checks; pass --evidence "what shows it is done" (better: add a \`check\` to its criteria)`,
    );
  const started = new Date();
  const artifact = path.join(
    ensureStateDir(dir),
    "artifacts",
    "checks",
    `${id}-${started.toISOString().replace(/[-:.]/g, "").slice(0, 18)}.log`,
  );
  const results: ShellResult[] = [];
  if (checks.length) mkdirSync(path.dirname(artifact), { recursive: true });
  for (const [i, c] of checks.entries()) {
    appendSafe(artifact, `\n=== ${c.kind} ${i + 1}/${checks.length}: ${c.label}\n$ ${c.command}\n`);
    const r = await runShell(c.command, { cwd: dir, outFile: artifact, timeoutMs });
    results.push(r);
    appendSafe(
      artifact,
      `=== exit ${r.exitCode ?? r.signal}${r.timedOut ? " (timed out)" : ""} in ${(r.durationMs / 1000).toFixed(1)}s\n`,
    );
    out.line(
      `${passed(r) ? "pass" : "FAIL"}  ${c.kind}: ${c.label}${c.label === c.command ? "" : ` (${c.command})`}  ${(r.durationMs / 1000).toFixed(1)}s`,
    );
  }
  const failed = results.filter((r) => !passed(r));
  const shown = display(artifact);
  const inRepo = path.relative(dir, artifact); // what the log and the note keep: valid from any folder
  if (failed.length) {
    const f = failed[0]!;
    const why = f.spawnError
      ? `could not start: ${f.spawnError}`
      : f.timedOut
        ? `timed out after ${timeoutText}`
        : `exited ${f.exitCode ?? f.signal}`;
    await appendLogEvent(
      dir,
      "failure",
      `${id} not complete: ${failed.length} of ${checks.length} checks failed; \`${f.command}\` ${why} (output: ${inRepo})`,
    );
    out.data({ task_id: id, complete: false, checks: results, output: artifact });
    out.line(`${id} not complete: ${failed.length} of ${checks.length} checks failed (output: ${shown})`);
    return 1;
  }
  const stamp = formatStamp(new Date());
  const proof = [
    checks.length ? `${plural(checks.length, "check")} passed (${inRepo})` : "",
    evidence ? `evidence: ${evidence}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  let event: LogEvent | undefined;
  await mutateChecklist(
    dir,
    (d) => {
      const t = findTask(d, id!);
      const note = appendNote(t.note, `${stamp} complete: ${proof}`);
      return { doc: setStatus(d, id!, "complete", stamp, { note }).doc, result: undefined };
    },
    {
      beforeWrite: async () => {
        event = await appendLogEvent(dir, "evidence", `${id} complete: ${task.title}. ${proof}`);
      },
    },
  );
  out.data({
    task_id: id,
    complete: true,
    checks: results,
    output: checks.length ? artifact : null,
    logged: event,
  });
  out.line(`${id}: complete${checks.length ? ` (${plural(checks.length, "check")} passed)` : ""}`);
  return 0;
}

function passed(r: ShellResult): boolean {
  return r.exitCode === 0 && !r.timedOut && !r.spawnError;
}

function appendSafe(file: string, text: string): void {
  try {
    appendFileSync(file, text);
  } catch (err) {
    throw new UserError(
      `${display(file)}: cannot write check output (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}
