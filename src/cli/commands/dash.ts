/** `longrun dash`: the live local page of the repo's run (see src/dash/server.ts). */
import { spawn } from "node:child_process";
import { UserError } from "../../core/user-error.ts";
import { pricesFor } from "../../cost/price-table.ts";
import { fullCollection, keepYoungGenerationSmall } from "../../dash/heap.ts";
import { startDash } from "../../dash/server.ts";
import { loadConfig } from "../../store/config-store.ts";
import { listRuns } from "../../store/run-journal.ts";
import { int, parse, positionals, repoDir, str } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun dash [--port P] [--open] [--run ID] [--dir D] [--json]
  Serve a live page of the repo's newest run on 127.0.0.1: state, tasks with their criteria and
  evidence, the agent's activity as it happens, spend over time, the run log, artifacts, and steering
  (message, pause, resume, stop). Prints a URL with a random token; requests without it get 401.
  --port 0 (the default) takes any free port; --open opens the URL in the browser; --run ID shows that
  run instead of the newest. Ctrl-C stops it.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(
    argv,
    { port: { type: "string" }, open: { type: "boolean" }, run: { type: "string" } },
    "dash",
  );
  positionals(p, [], "dash");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const port = int(p.values, "port", "dash") ?? 0;
  if (port > 65535) throw new UserError(`dash: --port ${port} is not a port (0-65535; 0 takes any free one)`);
  const runId = str(p.values, "run");
  if (runId !== undefined && !listRuns(dir).includes(runId)) {
    const runs = listRuns(dir);
    throw new UserError(
      `dash: no run \`${runId}\` in ${dir}/.longrun/runs (${runs.length ? `the newest is ${runs.at(-1)}; \`longrun cost --by run\` lists them` : "there are none yet"})`,
    );
  }
  const config = await loadConfig(dir);
  const prices = pricesFor(config.value);
  keepYoungGenerationSmall();
  const dash = await startDash({ dir, port, prices, run: runId, collect: fullCollection() });
  if (out.json)
    process.stdout.write(`${JSON.stringify({ url: dash.url, port: dash.port, token: dash.token })}\n`);
  out.line(`longrun dash: ${dash.url}`);
  out.line("serving 127.0.0.1 only; Ctrl-C stops it");
  if (p.values.open) openInBrowser(dash.url);
  // The handlers stay installed to the end: a handler that removes itself would leave signal-exit (loaded by
  // proper-lockfile while a lock is held) as the only listener, and it re-raises the signal (exit 130).
  await new Promise<void>((resolve) => {
    process.on("SIGINT", () => resolve());
    process.on("SIGTERM", () => resolve());
  });
  await dash.close();
  return 0;
}

function openInBrowser(url: string): void {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn(cmd, [url], { stdio: "ignore", detached: true });
    child.on("error", () => process.stderr.write(`longrun: could not start ${cmd}; open the URL yourself\n`));
    child.unref();
  } catch {
    process.stderr.write(`longrun: could not start ${cmd}; open the URL yourself\n`);
  }
}
