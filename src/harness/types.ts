/**
 * The adapter contract. `start(spec)` returns at once; from then on it never throws: a missing binary,
 * a crash, a non-zero exit, an error event, garbage output or a timeout all end the event stream with a
 * `run_end` carrying a status and a one-line reason. `result()` resolves with that `run_end`.
 */
import type { AgentEvent } from "../core/agent-events.ts";

export interface AgentSpec {
  /** The repo the agent works in. */
  cwd: string;
  /** The brief (prompt). */
  prompt: string;
  model?: string | null;
  /** An OpenAI- or Anthropic-compatible server; without it the CLI uses the user's own config and login. */
  baseUrl?: string | null;
  /** Name of the variable that holds the key for `baseUrl`. */
  apiKeyEnv?: string | null;
  env?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Where raw stdout/stderr and other artifacts of this session go. */
  artifactsDir: string;
  /** A CLI session to resume, where the CLI can. */
  resumeSession?: string | null;
  /** The task this session works on (LONGRUN_TASK_ID for the command harness). */
  taskId?: string | null;
  /** The CLI's own retries of a failed model call (0 = none, fail fast); undefined keeps the CLI's default. */
  retries?: number;
  /** Shell command of the `command` harness. */
  command?: string | null;
  /**
   * Keep the session open for `send` (claude: stream-json input; pi: RPC mode). Off by default: the
   * brief is then the CLI's argument and stdin is closed. Harnesses that take no messages ignore it.
   */
  steerable?: boolean;
}

export type RunEnd = Extract<AgentEvent, { type: "run_end" }>;

export interface AgentRun extends AsyncIterable<AgentEvent> {
  readonly runId: string;
  /** The final event, once the run has ended. */
  result(): Promise<RunEnd>;
  /** Stop the session (the whole process group); the stream then ends with status `killed`. */
  stop(): void;
  /**
   * A steering message for the session in flight (steerable claude and pi runs; undefined elsewhere).
   * Records a `steer` event, then writes the message; resolves once it is written to the CLI's stdin.
   * Rejects, never throws, once the session takes no more input (the CLI has finished its work, the
   * run was stopped or has ended) or for an empty message.
   */
  send?: (message: string) => Promise<void>;
}

export interface Installed {
  path: string;
  version: string | null;
}

export interface Adapter {
  name: string;
  /** Package and command that install the CLI, for messages. */
  install: string;
  /** What the CLI needs to run, in a few words (key variable, config). */
  needs: string;
  find(env?: NodeJS.ProcessEnv): Promise<Installed | undefined>;
  start(spec: AgentSpec): AgentRun;
}
