/**
 * The set-up the integration tests of the agent adapters (codex, claude, opencode, pi) share: a temp
 * HOME and temp repo, the spec they start a session with, one session of the real CLI against the
 * scripted model server (or against a server that is gone), and small readers of what came back.
 */
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type AgentEvent, addUsage, emptyUsage, type Usage } from "../../src/core/agent-events.ts";
import { findBinary } from "../../src/exec/find-binary.ts";
import type { Adapter, AgentRun, AgentSpec, RunEnd } from "../../src/harness/types.ts";
import { type ModelServer, type Script, startModelServer } from "./model-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Whether the pinned CLI `name` is installed (a test file skips itself when not). */
export const isInstalled = (name: string): boolean => findBinary(name, ROOT) !== undefined;

/** A temp HOME for the file's tests (the CLIs write under HOME), fresh for `each` test or once for `all`. */
export function hermeticHome(harness: string, scope: "each" | "all" = "each"): void {
  let saved: string | undefined;
  (scope === "each" ? beforeEach : beforeAll)(() => {
    saved = process.env.HOME;
    process.env.HOME = mkdtempSync(path.join(tmpdir(), `longrun-${harness}-home-`));
  });
  (scope === "each" ? afterEach : afterAll)(() => {
    process.env.HOME = saved;
  });
}

/** A fresh empty folder for a session to work in. */
export const newRepo = (harness: string): string =>
  mkdtempSync(path.join(tmpdir(), `longrun-${harness}-repo-`));

/** The spec of a test session: the brief "do the task", mock-model at `baseUrl`, no retries; `over` wins. */
export function agentSpec(cwd: string, baseUrl: string, over: Partial<AgentSpec> = {}): AgentSpec {
  return {
    cwd,
    prompt: "do the task",
    model: "mock-model",
    baseUrl,
    timeoutMs: 60_000,
    idleTimeoutMs: 30_000,
    artifactsDir: path.join(cwd, ".longrun", "artifacts"),
    retries: 0,
    ...over,
  };
}

/** Start `spec` and read every event to the end; `on` sees each event as it arrives, with the run. */
export async function runSession(
  adapter: Adapter,
  spec: AgentSpec,
  on?: (ev: AgentEvent, run: AgentRun) => void,
): Promise<{ events: AgentEvent[]; end: RunEnd; runId: string; run: AgentRun }> {
  const run = adapter.start(spec);
  const events: AgentEvent[] = [];
  for await (const ev of run) {
    events.push(ev);
    on?.(ev, run);
  }
  return { events, end: await run.result(), runId: run.runId, run };
}

export interface SessionOptions {
  /** The repo to work in (default: a new one). */
  cwd?: string;
  /** Turns the server's URL into the base URL given to the CLI. */
  at?: (url: string) => string;
  /** Sees each event as it arrives, with the run and the server (to send a message, or to stop). */
  on?: (ev: AgentEvent, run: AgentRun, server: ModelServer) => void;
}

/** One session against a fresh server playing `script`; the server is closed when it ends. */
export async function session(
  adapter: Adapter,
  script: Script,
  over: Partial<AgentSpec> = {},
  { cwd = newRepo(adapter.name), at = (url) => url, on }: SessionOptions = {},
) {
  const server = await startModelServer(script);
  try {
    const spec = agentSpec(cwd, at(server.url), over);
    const out = await runSession(adapter, spec, on && ((ev, run) => on(ev, run, server)));
    return { ...out, cwd, server };
  } finally {
    await server.close();
  }
}

/** How a session ends whose model server has already closed (its port refuses connections). */
export async function deadServerEnd(adapter: Adapter, over: Partial<AgentSpec> = {}): Promise<RunEnd> {
  const server = await startModelServer([]);
  await server.close();
  const { end } = await runSession(adapter, agentSpec(newRepo(adapter.name), server.url, over));
  return end;
}

/** The texts of the message events. */
export const messages = (events: AgentEvent[]): string[] =>
  events.filter((e) => e.type === "message").map((e) => (e as { text: string }).text);

/** The sum of the per-request usage events. */
export const requested = (events: AgentEvent[]): Usage =>
  events.reduce(
    (t, e) => (e.type === "usage" && e.scope === "request" ? addUsage(t, e.usage) : t),
    emptyUsage(),
  );

/** Resolves once `ok()` holds (checked every 50 ms). */
export async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 50));
}

/** Every file under `dir`, recursively (a link to a file counts; a broken link does not). */
export const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
