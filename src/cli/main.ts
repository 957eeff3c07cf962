#!/usr/bin/env node
/** longrun's single entry and exit point: dispatch, print errors as one line, choose the exit code. */
import module from "node:module";
import os from "node:os";
import { UserError } from "../core/user-error.ts";
import { version } from "../store/package-info.ts";

interface Command {
  run: (argv: string[]) => Promise<number>;
  help: string;
}

/** Commands load on demand, so `status` never pays for the modules of `task complete`. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  init: () => import("./commands/init.ts"),
  check: () => import("./commands/check.ts"),
  status: () => import("./commands/status.ts"),
  task: () => import("./commands/task.ts"),
  log: () => import("./commands/log.ts"),
  exec: () => import("./commands/exec.ts"),
  run: () => import("./commands/run.ts"),
  steer: () => import("./commands/steer.ts"),
  pause: () => import("./commands/pause.ts"),
  resume: () => import("./commands/resume.ts"),
  stop: () => import("./commands/stop.ts"),
  agents: () => import("./commands/agents.ts"),
  cost: () => import("./commands/cost.ts"),
  dash: () => import("./commands/dash.ts"),
};

async function usage(): Promise<string> {
  const helps = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).help));
  return `longrun ${version}: supervise long-running coding agents through plan.md, checklist.yaml and run-log.md

Usage: longrun <command> [options]     (every command takes --dir D, --json, --help; --debug shows stacks)

${helps.map((h) => `  ${h.split("\n")[0]?.replace(/^longrun /, "")}`).join("\n")}

Exit codes: 0 ok, 1 a check ran and failed, 2 bad input or usage (files unchanged), 70 internal error.`;
}

// Reuse V8's compiled code across runs (as tsc does): commands load after this line, lazily. Not with a
// temp folder under /proc or /sys: Node 24's recursive mkdir there never returns.
if (!/^\/(?:proc|sys)(?:\/|$)/.test(os.tmpdir())) module.enableCompileCache?.();

async function main(argv: string[]): Promise<number> {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22)
    throw new UserError(
      `longrun needs Node.js 22 or newer; this is ${process.version} (install Node.js 22 or newer; in the longrun repo, \`npm install\` puts Node 24 in node_modules/.bin)`,
    );
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${await usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load)
    throw new UserError(
      `unknown command \`${name}\` (commands: ${Object.keys(COMMANDS).join(", ")}; see \`longrun --help\`)`,
    );
  const cmd = await load();
  if (name !== "task" && name !== "cost" && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write(`${cmd.help}\n`);
    return 0;
  }
  return cmd.run(rest);
}

// A reader that stops early (`longrun status | head -1`) is not an error: the command still finishes
// its work, and what it would have printed is dropped, without a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
});

const argv = process.argv.slice(2);
const debug = argv.includes("--debug");
const json = argv.includes("--json");
main(argv.filter((a) => a !== "--debug")).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const user = err instanceof UserError;
    const message = user
      ? err.message
      : `internal error: ${(err as Error)?.message ?? String(err)} (rerun with --debug for the stack, and report it)`;
    process.stderr.write(`longrun: ${message}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    const exitCode = user ? err.exitCode : 70;
    if (json) process.stdout.write(`${JSON.stringify({ error: { message, exitCode } })}\n`);
    process.exitCode = exitCode;
  },
);
