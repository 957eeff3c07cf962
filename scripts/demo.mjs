// `npm run demo`: longrun's main job, end to end, in a temp folder, with no key and no network. A repo
// with a plan and three tasks that have real checks; the repo's scripted model server on 127.0.0.1; the
// real Codex CLI (a dev dependency) driven by `longrun run`. The model lies once (it says T002 is done
// without doing it): the check fails, the next attempt passes. A steering message is queued while the
// run works. Each task ends in a checkpoint commit; then `status` and the cost of the run.
// Runs the built CLI as a user's shell would: node <bin>, node_modules/.bin first on PATH.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_CHECKLIST, DEMO_PLAN, demoScript } from "../test/kit/demo-scenario.ts";
import { startModelServer } from "../test/kit/model-server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).bin.longrun);
const base = mkdtempSync(path.join(tmpdir(), "longrun-demo-"));
const dir = path.join(base, "repo");
const home = path.join(base, "home"); // the agent CLI's and git's home: nothing of the user's is read or written
mkdirSync(dir);
mkdirSync(home);
const env = {
  PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
  HOME: home,
  LANG: "C.UTF-8",
  TZ: "UTC",
  LONGRUN_DEMO_KEY: "no-key-needed",
};
const started = Date.now();

const show = (args) => `$ longrun ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}`;
/** Run longrun without blocking: the model server answers from this same process meanwhile. */
async function longrun(expect, ...args) {
  process.stdout.write(`\n${show(args)}\n`);
  const child = spawn("node", [bin, ...args, "--dir", dir], { env, stdio: "inherit" });
  const status = await new Promise((r) => child.on("close", (code) => r(code)));
  if (status !== expect) {
    process.stderr.write(`demo: \`longrun ${args[0]}\` exited ${status}, expected ${expect}\n`);
    await server.close();
    process.exit(1);
  }
}
function git(...args) {
  const r = spawnSync("git", args, { cwd: dir, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args[0]}: ${r.stderr}`);
  return r.stdout;
}

process.stdout.write(`longrun demo in ${dir}\n`);
const server = await startModelServer(
  demoScript({
    // While the agent works on T001, a person steers from another terminal; the next brief carries it.
    onFirstRequest: () => {
      const args = ["steer", "Keep each script to two lines, and print nothing extra."];
      process.stdout.write(`\n(meanwhile, in another terminal)\n${show(args)}\n`);
      spawnSync("node", [bin, ...args, "--dir", dir], { env, stdio: "inherit" });
      process.stdout.write("\n");
    },
  }),
);
try {
  await longrun(0, "init");
  writeFileSync(path.join(dir, "plan.md"), DEMO_PLAN);
  writeFileSync(path.join(dir, "checklist.yaml"), DEMO_CHECKLIST);
  writeFileSync(
    path.join(dir, ".longrun", "config.yaml"),
    `# The demo's agent: the real Codex CLI, pointed at the repo's scripted model server on 127.0.0.1.
harness:
  name: codex
  model: gpt-5.2
  base_url: ${server.url}/v1
  api_key_env: LONGRUN_DEMO_KEY
  timeout: 5m
  idle_timeout: 2m
loop:
  max_attempts: 3
`,
  );
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git(
    "-c",
    "user.name=demo",
    "-c",
    "user.email=demo@example.invalid",
    "commit",
    "-q",
    "-m",
    "plan and checklist",
  );
  await longrun(0, "check");
  await longrun(0, "run");
  process.stdout.write(
    "\n(the agent claimed T002 was done; its check said otherwise, and the retry did the work)\n",
  );
  process.stdout.write(`\n$ git log --oneline\n${git("log", "--oneline")}`);
  await longrun(0, "log", "--tail", "12");
  await longrun(0, "status");
  await longrun(0, "cost");
  process.stdout.write(
    `\n${server.requests.length} model requests to the scripted server (tokens priced as gpt-5.2; it charged nothing). ${((Date.now() - started) / 1000).toFixed(1)}s.\nThe repo is in ${dir}; from this folder try \`npx longrun status --dir ${dir}\`, or the live page: \`npx longrun dash --dir ${dir} --open\`.\n`,
  );
} finally {
  await server.close();
}
