// `npm run demo`: longrun's main job, end to end, in a temp folder. A task is started, its check fails
// while the work is missing (verification decides, not the agent's word), the work is done, the check
// passes and the task completes. Runs the built CLI as a user's shell would: node <bin>, node_modules/.bin first on PATH.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).bin.longrun);
const dir = mkdtempSync(path.join(tmpdir(), "longrun-demo-"));
const env = {
  ...process.env,
  PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
};

function longrun(expect, ...args) {
  process.stdout.write(`\n$ longrun ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}\n`);
  const r = spawnSync("node", [bin, ...args, "--dir", dir], { env, stdio: "inherit" });
  if (r.status !== expect) {
    process.stderr.write(`demo: \`longrun ${args[0]}\` exited ${r.status}, expected ${expect}\n`);
    process.exit(1);
  }
}

process.stdout.write(`longrun demo in ${dir}\n`);
longrun(0, "init");
longrun(0, "check");
longrun(
  0,
  "task",
  "add",
  "--title",
  "Write the README quick start",
  "--check",
  "README.md has a Quick start :: grep -q 'Quick start' README.md",
  "--depends-on",
  "T001",
);
longrun(0, "task", "start", "T001");
longrun(0, "task", "complete", "T001", "--evidence", "plan reviewed in the demo");
longrun(0, "task", "start", "T002");
longrun(1, "task", "complete", "T002");
process.stdout.write("\n(the check failed: nothing is complete on anyone's word; now the work is done)\n");
writeFileSync(path.join(dir, "README.md"), "# Demo\n\n## Quick start\n\nRun it.\n");
longrun(0, "task", "complete", "T002");
longrun(0, "log", "add", "--tag", "decision", "Keep the quick start to three commands");
longrun(0, "status");
process.stdout.write(`\nThe files are in ${dir}; try \`longrun status --dir ${dir}\`.\n`);
