/** `longrun check`: validate plan.md, checklist.yaml, run-log.md and the config; report every problem. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../../core/diagnostic.ts";
import { formatDiagnostic } from "../../core/diagnostic.ts";
import { checkPlan } from "../../core/plan.ts";
import { UserError } from "../../core/user-error.ts";
import { loadChecklist } from "../../store/checklist-load.ts";
import { loadConfig } from "../../store/config-store.ts";
import { display, FILES, filePath } from "../../store/paths.ts";
import { readTextFile } from "../../store/read-input.ts";
import { loadRunLog } from "../../store/run-log-read.ts";
import { ensureStateDir } from "../../store/state-dir.ts";
import { parse, positionals, repoDir } from "../args.ts";
import { makeOut, plural } from "../output.ts";

export const help = `longrun check [--dir D] [--json]
  Validate plan.md, checklist.yaml, run-log.md and .longrun/config.yaml; print every problem as
  FILE:LINE:COL: code: message (what to do). Exit 0 valid (warnings allowed), 1 problems found,
  2 unusable input (a file that cannot be read as text, or no longrun files at all).`;

interface FileReport {
  file: string;
  exists: boolean;
  errors: number;
  warnings: number;
}

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "check");
  positionals(p, [], "check");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const all: Diagnostic[] = [];
  const reports: FileReport[] = [];
  let unusable = false;
  const visit = async (name: string, fn: () => Diagnostic[] | Promise<Diagnostic[]>, optional = false) => {
    const path = filePath(dir, name);
    let ds: Diagnostic[];
    let exists = true;
    try {
      ds = await fn();
    } catch (err) {
      if (!(err instanceof UserError) || !err.diagnostic) throw err;
      const missing = err.diagnostic.code === "missing-file";
      if (missing && optional) {
        reports.push({ file: display(path), exists: false, errors: 0, warnings: 0 });
        return;
      }
      exists = !missing;
      if (!missing) unusable = true;
      ds = [
        missing
          ? { ...err.diagnostic, message: `${name} is missing`, hint: "create it with `longrun init`" }
          : err.diagnostic,
      ];
    }
    all.push(...ds);
    reports.push({
      file: display(path),
      exists,
      errors: ds.filter((d) => d.severity === "error").length,
      warnings: ds.filter((d) => d.severity === "warning").length,
    });
  };
  await visit(
    FILES.plan,
    () =>
      checkPlan(readTextFile(filePath(dir, FILES.plan))!.text, display(filePath(dir, FILES.plan)))
        .diagnostics,
  );
  await visit(FILES.checklist, async () => (await loadChecklist(dir)).diagnostics());
  await visit(FILES.runLog, () => loadRunLog(dir).parsed.diagnostics);
  await visit(FILES.config, async () => (await loadConfig(dir, { required: true })).diagnostics, true);
  const present = reports.filter((r) => r.exists).length;
  if (present === 0 && !unusable)
    throw new UserError(
      `${display(dir)}: no longrun files here (create them with \`longrun init\`, or pass --dir)`,
    );
  const errors = all.filter((d) => d.severity === "error").length;
  const warnings = all.length - errors;
  const code = unusable ? 2 : errors > 0 ? 1 : 0;
  out.data({ ok: code === 0, exitCode: code, errors, warnings, files: reports, diagnostics: all });
  if (!out.json) printDiagnostics(dir, all, out.line);
  out.line(
    code === 0
      ? `ok: ${plural(reports.filter((r) => r.exists).length, "file")} valid${warnings ? ` (${plural(warnings, "warning")})` : ""}`
      : `${plural(errors, "error")}, ${plural(warnings, "warning")} in ${plural(reports.filter((r) => r.errors + r.warnings > 0).length, "file")}`,
  );
  return code;
}

/** Terminal lines to show before the rest goes to a file. */
const SHOWN = 30;

/** Every diagnostic when they are few; else errors first up to SHOWN, and the whole list in a file. */
function printDiagnostics(dir: string, all: Diagnostic[], line: (s?: string) => void): void {
  if (all.length === 0) return;
  const ordered = all.length > SHOWN ? [...all].sort((a, b) => rank(a) - rank(b)) : all;
  for (const d of ordered.slice(0, SHOWN)) line(formatDiagnostic(d));
  if (all.length > SHOWN) {
    const file = path.join(
      dir,
      ".longrun",
      "artifacts",
      `check-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}.txt`,
    );
    try {
      ensureStateDir(dir);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${all.map(formatDiagnostic).join("\n")}\n`);
      line(`… ${all.length - SHOWN} more; all ${all.length} in ${display(file)}`);
    } catch {
      line(`… ${all.length - SHOWN} more (\`longrun check --json\` lists them all)`);
    }
  }
  line();
}

function rank(d: Diagnostic): number {
  return d.severity === "error" ? 0 : 1;
}
