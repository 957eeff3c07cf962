/** `longrun status`: what a person needs in 30 seconds, in at most ~30 lines; `--watch` keeps it on screen. */
import { parseDuration } from "../../core/duration.ts";
import type { LogEvent } from "../../core/run-log.ts";
import { statusView, type TaskBrief } from "../../core/status-view.ts";
import { STATUSES } from "../../core/task-status.ts";
import { UserError } from "../../core/user-error.ts";
import { requireChecklist } from "../../store/checklist-load.ts";
import { display } from "../../store/paths.ts";
import { loadRunLog } from "../../store/run-log-read.ts";
import type { StatusStamps } from "../../store/status-inputs.ts";
import { int, type Parsed, parse, positionals, repoDir, str } from "../args.ts";
import { clip, makeOut, plural } from "../output.ts";

export const help = `longrun status [--dir D] [--limit N] [--json] [--watch [--interval DUR]]
  Summary status, active task, next ready tasks (dependencies met), blocked tasks and why, counts
  by status, failures and the last events of the run log. --limit N lists N items per group (default 4).
  --watch keeps it up to date (redrawn in place on a terminal, a new frame per change otherwise, one JSON
  line per change with --json), checking its files every --interval (default 1s); Ctrl-C quits.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(
    argv,
    { limit: { type: "string" }, watch: { type: "boolean" }, interval: { type: "string" } },
    "status",
  );
  positionals(p, [], "status");
  const json = !!p.values.json;
  const dir = repoDir(p.values);
  const limit = int(p.values, "limit", "status") ?? 4;
  const interval = intervalOf(p.values);
  if (p.values.watch) {
    // Loaded only to watch: plain `status` pays nothing for it.
    const [{ watch }, { statusInputs }] = await Promise.all([
      import("../watch.ts"),
      import("../../store/status-inputs.ts"),
    ]);
    return watch({
      title: "longrun status",
      every: interval.text,
      intervalMs: interval.ms,
      json,
      stamp: statusInputs(dir),
      load: statusLoader(dir, limit),
      lines: statusLines,
    });
  }
  const out = makeOut(json);
  const data = await statusLoader(dir, limit)();
  out.data(data);
  if (out.json) return 0;
  const w = process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100;
  for (const l of statusLines(data, w)) out.line(l);
  return 0;
}

/** `--interval`: a duration of at least 100ms, and only with `--watch`. */
function intervalOf(values: Parsed["values"]): { text: string; ms: number } {
  const text = str(values, "interval");
  if (text === undefined) return { text: "1s", ms: 1000 };
  if (!values.watch) throw new UserError("status: --interval needs --watch");
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UserError(`status: --interval \`${text}\` is not a duration (e.g. 500ms, 2s)`);
  if (ms < 100) throw new UserError(`status: --interval ${text} is too short (100ms at least)`);
  return { text: text.trim(), ms };
}

export type StatusData = Awaited<ReturnType<ReturnType<typeof statusLoader>>>;

/**
 * Loads what `status` shows. Given the stamps of its inputs (`--watch`), each part is loaded again only
 * when its own inputs moved: a growing journal does not re-read the checklist, a new steer does not rebuild
 * the ledger. A part that fails is not kept, so it is tried again on the next change.
 */
function statusLoader(dir: string, limit: number) {
  const memo = new Map<string, { key: string; value: unknown }>();
  const part = async <T>(name: string, key: string | undefined, load: () => T | Promise<T>): Promise<T> => {
    const hit = memo.get(name);
    if (key !== undefined && hit?.key === key) return hit.value as T;
    const value = await load();
    if (key !== undefined) memo.set(name, { key, value });
    return value;
  };
  return async (s?: StatusStamps) => {
    const { doc, warningCount } = await part("checklist", s?.checklist, () => requireChecklist(dir));
    const log = await part("log", s?.runLog, () => recentLog(dir));
    const v = statusView(doc.data, log.events, limit);
    const runs = s && `${s.runs}|${s.config}`;
    const spend = await part("spend", runs, () => spentSoFar(dir));
    const run = await part("run", s && `${runs}|${s.lock}|${s.control}`, () => currentRun(dir));
    const steering = await part("steering", s && `${s.runs}|${s.control}`, () => waiting(dir));
    return {
      dir,
      ...v,
      checklistWarnings: warningCount,
      logProblem: log.problem ?? null,
      spend,
      run,
      steering,
    };
  };
}

/** The run log's events, or the one-line reason it cannot be read (status goes on without them). */
function recentLog(dir: string): { events: readonly LogEvent[]; problem?: string } {
  try {
    return { events: loadRunLog(dir).parsed.events };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { events: [], problem: err.message };
  }
}

/** The human view of `d`, lines clipped to about `w` columns. */
export function statusLines(d: StatusData, w: number): string[] {
  const lines: string[] = [];
  const out = { line: (l: string) => lines.push(l) };
  const { dir, spend, run, steering, checklistWarnings: warningCount, logProblem } = d;
  const v = d;
  const c = v.counts;
  const row = (t: TaskBrief, extra = "") =>
    `  ${t.task_id}  ${clip(t.title, w - t.task_id.length - extra.length - 6)}${extra}`;
  out.line(
    `${display(dir) || "."}: ${v.summary.status ?? "no status"}${v.summary.last_updated ? `, updated ${v.summary.last_updated}` : ""}`,
  );
  out.line(`tasks: ${c.total} | ${STATUSES.map((s) => `${s} ${c[s]}`).join(" | ")}`);
  out.line(
    v.active
      ? `active: ${v.active.task_id} ${clip(v.active.title, w - 20)}${v.active.attempts ? ` (attempt ${v.active.attempts + 1})` : ""}`
      : "active: none",
  );
  for (const t of v.inProgress) out.line(row(t, "  (also in progress)"));
  out.line(`next (${v.nextCount} ready):${v.next.length ? "" : " none"}`);
  for (const t of v.next) out.line(row(t));
  if (v.blockedCount) {
    out.line(`blocked (${v.blockedCount}):`);
    for (const b of v.blocked)
      out.line(
        row(
          b,
          `  <- ${b.waitingOn
            .slice(0, 3)
            .map((d) => `${d.id} ${d.status}`)
            .join(", ")}${b.waitingOn.length > 3 ? ", …" : ""}`,
        ),
      );
  }
  if (v.failedCount) {
    out.line(`failed (${v.failedCount}):`);
    for (const t of v.failed) out.line(row(t, t.note ? `: ${clip(t.note, 40)}` : ""));
  }
  if (spend) {
    const tokens = spend.input + spend.cachedInput + spend.cacheWrite + spend.output;
    const budget = spend.budgetUSD ? ` of the $${spend.budgetUSD} budget` : "";
    const covered = spend.coveredUSD ? ` ($${spend.coveredUSD.toFixed(2)} of it covered by your plan)` : "";
    out.line(
      `spent: ${spend.costUSD === null ? "unknown (a model has no price: see `longrun cost`)" : `$${spend.costUSD.toFixed(2)}${budget}${covered}`}, ${tokens.toLocaleString("en-US")} tokens in ${plural(spend.runs, "run")}`,
    );
  }
  if (run) for (const l of runLines(run, w)) out.line(l);
  if (steering.length) {
    out.line(`steering waiting for the next brief (${steering.length}):`);
    for (const m of steering.slice(0, 3)) out.line(`  ${clip(m.text, w - 2)}`);
  }
  if (v.summary.blockers.length) out.line(`blockers: ${clip(v.summary.blockers.join("; "), w - 10)}`);
  if (warningCount) out.line(`checklist: ${plural(warningCount, "warning")} (see \`longrun check\`)`);
  if (logProblem) out.line(`log: ${clip(logProblem, w - 6)}`);
  else if (v.recentEvents.length) {
    out.line("log:");
    for (const e of v.recentEvents) out.line(`  ${e.stamp} ${e.tag}: ${clip(e.text, w - 26)}`);
  }
  return lines;
}

/** The newest supervised run (`longrun run`), or null; loads the loop's modules only when there are runs. */
async function currentRun(dir: string) {
  const { listRuns } = await import("../../store/run-journal.ts");
  if (!listRuns(dir).length) return null;
  const [{ runView }, { pricesFor }, { loadConfig }] = await Promise.all([
    import("../../loop/run-view.ts"),
    import("../../cost/price-table.ts"),
    import("../../store/config-store.ts"),
  ]);
  let prices: ReturnType<typeof pricesFor>;
  try {
    prices = pricesFor((await loadConfig(dir)).value);
  } catch {
    prices = pricesFor({});
  }
  return runView(dir, prices);
}

/** Steering messages not delivered yet (none queued: the loop's modules are not loaded). */
async function waiting(dir: string) {
  const { existsSync } = await import("node:fs");
  if (!existsSync(`${dir}/.longrun/control/steer.jsonl`)) return [];
  const { waitingSteering } = await import("../../loop/run-view.ts");
  return waitingSteering(dir);
}

type RunViewOf = NonNullable<Awaited<ReturnType<typeof currentRun>>>;

function runLines(r: RunViewOf, w: number): string[] {
  const mins = Math.round(r.activeMs / 60_000);
  const where = r.taskId
    ? `, iteration ${r.iteration} on ${r.taskId}${r.step ? ` (${r.step})` : ""}`
    : `, ${plural(r.iteration, "iteration")}`;
  const state =
    r.state === "running" || r.state === "paused"
      ? `${r.state} (pid ${r.pid})`
      : r.state === "interrupted"
        ? "interrupted (a crash; `longrun run` resumes it)"
        : `ended: ${r.end?.reason}`;
  const max = r.budgets?.maxCostUSD;
  const cost =
    r.spend.costUSD === null
      ? "cost unknown"
      : `$${r.spend.costUSD.toFixed(2)}${typeof max === "number" ? ` of $${max}` : ""}`;
  const out = [
    clip(
      `run: ${r.id} ${state}${where}; ${mins}m, ${cost}, ${r.spend.tokens.toLocaleString("en-US")} tokens`,
      w,
    ),
  ];
  if (r.violations.length)
    out.push(
      clip(`guard: ${plural(r.violations.length, "change")} undone, last: ${r.violations.at(-1)!.text}`, w),
    );
  return out;
}

/** What the runs in this repo cost so far (null when there are none); loads the ledger only then. */
async function spentSoFar(dir: string) {
  const { listRuns } = await import("../../store/run-journal.ts");
  const ids = listRuns(dir);
  if (!ids.length) return null;
  const [{ buildLedger }, { pricesFor }, { loadConfig }, { readRunInfo }] = await Promise.all([
    import("../../cost/ledger.ts"),
    import("../../cost/price-table.ts"),
    import("../../store/config-store.ts"),
    import("../../store/run-journal.ts"),
  ]);
  const config = await loadConfig(dir);
  let prices: ReturnType<typeof pricesFor>;
  try {
    prices = pricesFor(config.value);
  } catch {
    return null; // a bad cost.plans entry: `longrun cost` and `check` say so
  }
  const runs = ids.map((id) => ({ id, info: readRunInfo(dir, id) }));
  const { book } = await buildLedger(dir, runs, "run", prices);
  const { input, cachedInput, cacheWrite, output, reasoning, costUSD, coveredUSD } = book.total;
  const budgetUSD = config.value?.budgets?.max_cost_usd ?? null;
  return {
    runs: ids.length,
    input,
    cachedInput,
    cacheWrite,
    output,
    reasoning,
    costUSD,
    coveredUSD,
    budgetUSD,
  };
}
