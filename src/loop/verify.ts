/**
 * Run the commands that verify an iteration, each with its own output file. A command that fails is
 * run once more at once: passing then, it is recorded as a flake; failing again, it fails the iteration
 * (the commands after it are not run). The failure's summary and the tail of its output go to the agent.
 */
import { appendFileSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { CheckResult, FailureInfo } from "../core/loop-events.ts";
import type { PlannedCheck } from "../core/verify-plan.ts";
import { runShell, type ShellResult } from "../exec/run-shell.ts";

export interface Verified {
  passed: boolean;
  results: CheckResult[];
  failure: FailureInfo | null;
}

const TAIL_LINES = 40;
const TAIL_CHARS = 3000;

/** The last lines of a file from byte `from` on (at most ~3 KB). */
export function tailOf(file: string, from = 0): string {
  let text: string;
  try {
    text = readFileSync(file).subarray(from).toString("utf8");
  } catch {
    return "";
  }
  const lines = text.trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
  return lines.length > TAIL_CHARS ? `…${lines.slice(-TAIL_CHARS)}` : lines;
}

const passed = (r: ShellResult) => r.exitCode === 0 && !r.timedOut && !r.spawnError;

function why(r: ShellResult, timeoutMs: number): string {
  if (r.spawnError) return `could not start: ${r.spawnError}`;
  if (r.timedOut) return `timed out after ${Math.round(timeoutMs / 1000)}s`;
  return r.signal ? `was killed by ${r.signal}` : `exited ${r.exitCode}`;
}

export async function runChecks(
  dir: string,
  checks: readonly PlannedCheck[],
  o: { outDir: string; prefix: string; timeoutMs: number; env: NodeJS.ProcessEnv },
): Promise<Verified> {
  const results: CheckResult[] = [];
  for (const [i, c] of checks.entries()) {
    const out = path.join(o.outDir, `${o.prefix}${i + 1}-${c.kind}.log`);
    const run = async () => {
      appendFileSync(out, `$ ${c.command}\n`);
      const r = await runShell(c.command, { cwd: dir, outFile: out, timeoutMs: o.timeoutMs, env: o.env });
      appendFileSync(
        out,
        `=== ${passed(r) ? "pass" : `FAIL: ${why(r, o.timeoutMs)}`} in ${(r.durationMs / 1000).toFixed(1)}s\n`,
      );
      return r;
    };
    let r = await run();
    let flaky = false;
    let rerunAt = 0;
    if (!passed(r)) {
      appendFileSync(out, "=== rerun once (a flake passes now)\n");
      rerunAt = statSync(out).size;
      const again = await run();
      if (passed(again)) {
        flaky = true;
        r = { ...again, durationMs: r.durationMs + again.durationMs };
      }
    }
    const rel = path.relative(dir, out);
    results.push({
      kind: c.kind,
      label: c.label,
      command: c.command,
      exitCode: r.exitCode,
      signal: r.signal,
      timedOut: r.timedOut,
      durationMs: r.durationMs,
      flaky,
      output: rel,
    });
    if (!passed(r))
      return {
        passed: false,
        results,
        failure: {
          summary: `\`${c.command}\` ${why(r, o.timeoutMs)} (${c.kind === "check" ? `check of "${c.label}"` : `${c.kind} loop`}), twice`,
          tail: tailOf(out, rerunAt), // the rerun's output: the first run's is above it in the file
          output: rel,
        },
      };
  }
  return { passed: true, results, failure: null };
}
