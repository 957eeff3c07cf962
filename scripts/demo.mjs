// `npm run demo`: longrun's main job, end to end, in a temp folder: init, check, add and start a task, status.
// Runs the built CLI exactly as a user's shell would (node <bin> with node_modules/.bin first on PATH).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
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

function longrun(...args) {
  process.stdout.write(`\n$ longrun ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}\n`);
  const r = spawnSync("node", [bin, ...args, "--dir", dir], { env, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`demo: \`longrun ${args[0]}\` exited ${r.status}\n`);
    process.exit(1);
  }
}

process.stdout.write(`longrun demo in ${dir}\n`);
longrun("init");
longrun("check");
longrun(
  "task",
  "add",
  "--title",
  "Write the README quick start",
  "--check",
  "README exists :: test -f plan.md",
  "--depends-on",
  "T001",
);
longrun("task", "start", "T001");
longrun("log", "add", "--tag", "decision", "Plan first, then the README");
longrun("status");
process.stdout.write(`\nThe files are in ${dir}; try \`longrun status --dir ${dir}\`.\n`);
