/** `longrun init`: write the memory files, AGENTS.md and the config; never overwrite. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatStamp } from "../../core/run-log.ts";
import { agentsTemplate } from "../../core/templates/agents.ts";
import { checklistTemplate } from "../../core/templates/checklist.ts";
import { configTemplate } from "../../core/templates/config.ts";
import { planTemplate } from "../../core/templates/plan.ts";
import { runLogTemplate } from "../../core/templates/run-log.ts";
import { UserError } from "../../core/user-error.ts";
import { display, FILES } from "../../store/paths.ts";
import { ensureStateDir } from "../../store/state-dir.ts";
import { parse } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun init [--dir D] [--json]
  Create plan.md, checklist.yaml, run-log.md, AGENTS.md (when absent) and .longrun/config.yaml in D
  (default: the current folder, created if missing). Existing files are listed and kept, never
  overwritten. Exit 0 when at least one file was created, 2 when none could be.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "init");
  const out = makeOut(!!p.values.json);
  const dir = path.resolve(typeof p.values.dir === "string" ? p.values.dir : process.cwd());
  if (p.positionals.length)
    throw new UserError(`init: unexpected argument \`${p.positionals[0]}\` (use --dir to choose the folder)`);
  try {
    mkdirSync(dir, { recursive: true });
    ensureStateDir(dir);
  } catch (err) {
    throw new UserError(
      `${display(dir)}: cannot create longrun's folders (${(err as NodeJS.ErrnoException).code}; check the path and its permissions)`,
    );
  }
  const stamp = formatStamp(new Date());
  const files: [string, string][] = [
    [FILES.plan, planTemplate()],
    [FILES.checklist, checklistTemplate(stamp)],
    [FILES.runLog, runLogTemplate(stamp)],
    [FILES.agents, agentsTemplate()],
    [FILES.config, configTemplate()],
  ];
  const created: string[] = [];
  const kept: string[] = [];
  const failed: { file: string; reason: string }[] = [];
  for (const [name, content] of files) {
    try {
      // `wx`: create only if absent, atomically; an existing file is never touched.
      writeFileSync(path.join(dir, name), content, { flag: "wx" });
      created.push(name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") kept.push(name);
      else
        failed.push({
          file: name,
          reason: code === "EACCES" || code === "EPERM" ? "permission denied" : String(code),
        });
    }
  }
  for (const f of created) out.line(`created  ${f}`);
  for (const f of kept) out.line(`kept     ${f} (exists; not overwritten)`);
  for (const f of failed) out.line(`failed   ${f.file} (${f.reason})`);
  if (created.length === 0) {
    const why = failed.length
      ? `could not write in ${display(dir)} (fix its permissions)`
      : "every file already exists";
    // With --json the error is the one document on stdout (main prints it).
    throw new UserError(`init: nothing created: ${why}`);
  }
  out.data({ dir, created, kept, failed });
  out.line(
    `\nNext: edit plan.md and checklist.yaml, then \`longrun check${dir === process.cwd() ? "" : ` --dir ${display(dir)}`}\`.`,
  );
  return failed.length ? 2 : 0;
}
