/**
 * The machinery every adapter shares: start the CLI process, turn its stdout lines into normalized
 * events (through the adapter's normalizer), stamp them, and end with exactly one `run_end`. With a
 * dialog (a steerable session), stdin stays open: the brief and each `send` are written as the CLI's
 * input lines, and stdin is closed when the dialog says the CLI is done, so the CLI exits on its own.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type AgentEvent,
  type AgentEventBody,
  addUsage,
  emptyUsage,
  type RunStatus,
  type Usage,
} from "../core/agent-events.ts";
import { type AgentExit, type AgentProcess, startAgentProcess } from "../exec/agent-process.ts";
import { EventStream } from "./event-stream.ts";
import type { AgentRun, AgentSpec, RunEnd } from "./types.ts";

/** How to launch the CLI for one session. */
export interface LaunchPlan {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  stdin?: string;
  version: string | null;
  model: string | null;
  stopSignal?: NodeJS.Signals;
}

/**
 * A CLI that takes messages on stdin during a session: how the brief and each message are framed as
 * input lines, and, from its stdout, when it has finished its work (then stdin is closed and it exits).
 */
export interface Dialog {
  /** The input that starts the session: the brief, and any query the dialog needs at start. */
  open(prompt: string): string;
  /** The input that carries one message sent during the session. */
  message(text: string): string;
  /** Reads one stdout line: input to write back, events to add, and whether the session is over. */
  line(line: string): DialogStep;
  /** Why the session failed as far as its messages go (one was refused, or never reached the model). */
  failure(): string | null;
}

export interface DialogStep {
  write?: string;
  events?: AgentEventBody[];
  /** The CLI has finished and no sent message is pending: close stdin. */
  close?: boolean;
}

/** Turns one stdout line into events; keeps what the session totals and ids need. */
export interface Normalizer {
  line(line: string): AgentEventBody[];
  /** Session totals as the CLI reports them (undefined: the sum of request usages is used). */
  sessionUsage(): Usage | undefined;
  sessionId(): string | null;
  /** The CLI's own last error message, if it reported one (a failed turn). */
  failure(): string | null;
  /** Adjusts the runner's verdict where the adapter knows more (e.g. it stopped the CLI itself). */
  amend?(status: RunStatus, reason: string): [RunStatus, string];
}

export function runSession(
  harness: string,
  spec: AgentSpec,
  launch: () => Promise<LaunchPlan | { notInstalled: string }>,
  normalizer: Normalizer,
  dialog?: Dialog,
): AgentRun {
  const runId = randomUUID().slice(0, 8);
  const stream = new EventStream<AgentEvent, RunEnd>();
  let seq = 0;
  const emit = (body: AgentEventBody): AgentEvent => {
    const ev = { ...body, v: 1, runId, seq: seq++, ts: new Date().toISOString() } as AgentEvent;
    stream.push(ev);
    return ev;
  };
  let requested = emptyUsage();
  let stopRequested = false;
  let stopProcess: (() => void) | undefined;
  // Settles with the process once the brief is written, or with undefined when the run ends first.
  let ready!: (proc: AgentProcess | undefined) => void;
  const running = new Promise<AgentProcess | undefined>((r) => {
    ready = r;
  });
  let inputClosed = false; // the dialog has closed stdin, or the run is over: no more messages
  const started = Date.now();
  const end = (status: RunStatus, reason: string, exit: Partial<AgentExit>, model: string | null) => {
    const usage = normalizer.sessionUsage() ?? { ...requested, model: requested.model ?? model };
    const ev = emit({
      type: "run_end",
      status,
      reason,
      exitCode: exit.exitCode ?? null,
      signal: exit.signal ?? null,
      durationMs: exit.durationMs ?? Date.now() - started,
      sessionId: normalizer.sessionId(),
      usage,
    }) as RunEnd;
    inputClosed = true;
    ready(undefined);
    stream.end(ev);
  };

  void (async () => {
    let model: string | null = spec.model ?? null;
    try {
      const plan = await launch();
      if ("notInstalled" in plan) {
        emit({ type: "run_start", harness, model, cwd: spec.cwd, version: null, sessionId: null });
        return end("not_installed", plan.notInstalled, {}, model);
      }
      model = plan.model;
      emit({
        type: "run_start",
        harness,
        model,
        cwd: spec.cwd,
        version: plan.version,
        sessionId: spec.resumeSession ?? null,
      });
      const proc = startAgentProcess({
        command: plan.command,
        args: plan.args,
        cwd: spec.cwd,
        env: plan.env,
        ...(dialog
          ? { stdin: dialog.open(spec.prompt), keepStdinOpen: true }
          : plan.stdin !== undefined
            ? { stdin: plan.stdin }
            : {}),
        timeoutMs: spec.timeoutMs,
        idleTimeoutMs: spec.idleTimeoutMs,
        stdoutFile: path.join(spec.artifactsDir, `${harness}-${runId}.stdout.log`),
        stderrFile: path.join(spec.artifactsDir, `${harness}-${runId}.stderr.log`),
        marker: runId,
        ...(plan.stopSignal ? { stopSignal: plan.stopSignal } : {}),
      });
      stopProcess = proc.stop;
      if (stopRequested) proc.stop();
      ready(proc);
      for await (const line of proc.lines) {
        if (line.trim() === "") continue;
        for (const body of normalizer.line(line)) {
          if (body.type === "usage" && body.scope === "request") requested = addUsage(requested, body.usage);
          emit(body);
        }
        if (dialog) {
          const step = dialog.line(line);
          for (const body of step.events ?? []) emit(body);
          if (step.write && !inputClosed) proc.write(step.write).catch(() => undefined); // gone: the exit says why
          if (step.close) {
            inputClosed = true;
            proc.closeStdin();
          }
        }
      }
      inputClosed = true;
      const exit = await proc.exit;
      const [status, reason] = verdict(
        exit,
        normalizer.failure() ?? dialog?.failure() ?? null,
        spec,
        harness,
        stderrTail(path.join(spec.artifactsDir, `${harness}-${runId}.stderr.log`)),
      );
      end(...(normalizer.amend?.(status, reason) ?? [status, reason]), exit, model);
    } catch (err) {
      end("error", `longrun could not run the session: ${(err as Error).message}`, {}, model);
    }
  })();

  /** Write the event, then the message; rejects (never throws) when the session takes no more input. */
  const send = async (message: string): Promise<void> => {
    if (typeof message !== "string" || message.trim() === "") throw new Error("send: the message is empty");
    const proc = await running;
    if (!proc || !dialog || inputClosed || stopRequested)
      throw new Error(`send: the ${harness} session has ended; the message was not sent`);
    emit({ type: "steer", text: message });
    try {
      await proc.write(dialog.message(message));
    } catch (err) {
      // The CLI went away between the check and the write: the trace must not claim the message arrived.
      const why = `the message was not sent (${(err as Error).message}): the ${harness} session has ended`;
      emit({ type: "error", message: why });
      throw new Error(`send: ${why}`);
    }
  };

  return {
    runId,
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    result: () => stream.result(),
    stop: () => {
      stopRequested = true;
      stopProcess?.();
    },
    ...(dialog ? { send } : {}),
  };
}

function verdict(
  exit: AgentExit,
  failure: string | null,
  spec: AgentSpec,
  harness: string,
  stderr: string,
): [RunStatus, string] {
  const command = harness === "command" ? "the command" : harness;
  const secs = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`);
  if (exit.spawnError)
    return /ENOENT/.test(exit.spawnError)
      ? ["not_installed", `${command} is not installed (${exit.spawnError})`]
      : ["error", `could not start ${command}: ${exit.spawnError}`];
  if (exit.endedBy === "timeout")
    return ["timeout", `stopped after the ${secs(spec.timeoutMs)} session timeout`];
  if (exit.endedBy === "idle")
    return ["timeout", `stopped after ${secs(spec.idleTimeoutMs)} without output (idle timeout)`];
  if (exit.endedBy === "stop") return ["killed", "stopped on request"];
  if (failure) return ["error", failure];
  if (exit.exitCode === 0) return ["ok", "the session ended normally"];
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  return ["error", `${command} ${how}${stderr ? `: ${stderr}` : ""}`];
}

/** The last non-empty line of a stderr artifact, without colours, cut to one short line. */
function stderrTail(file: string): string {
  try {
    const text = stripAnsi(readFileSync(file, "utf8"));
    const last = text.trimEnd().split("\n").pop() ?? "";
    return last.length > 200 ? `${last.slice(0, 199)}…` : last;
  } catch {
    return "";
  }
}

/** Text without terminal colour and cursor codes (some CLIs colour stderr even without a terminal). */
export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
