/**
 * Control of a running supervisor from another terminal, as files under `.longrun/control/`:
 * `steer.jsonl` (queued steering messages, removed once delivered), `pause` (present while paused),
 * `stop.json` (a stop request). Every change is atomic and under a lock.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { writeAtomic } from "./atomic-write.ts";
import { withFileLock } from "./lock.ts";
import { ensureStateDir } from "./state-dir.ts";

export interface SteerMessage {
  id: string;
  text: string;
  ts: string;
}

export interface StopRequest {
  now: boolean;
  ts: string;
}

function controlDir(dir: string): string {
  const d = path.join(ensureStateDir(dir), "control");
  mkdirSync(d, { recursive: true });
  return d;
}

const steerFile = (dir: string) => path.join(controlDir(dir), "steer.jsonl");

/** Queued steering messages, oldest first (a line that does not parse is skipped). */
export function queuedSteering(dir: string): SteerMessage[] {
  let text: string;
  try {
    text = readFileSync(path.join(dir, ".longrun", "control", "steer.jsonl"), "utf8");
  } catch {
    return [];
  }
  const out: SteerMessage[] = [];
  for (const l of text.split("\n")) {
    if (!l.trim()) continue;
    try {
      const m = JSON.parse(l) as SteerMessage;
      if (typeof m.id === "string" && typeof m.text === "string") out.push(m);
    } catch {
      // a torn line: skipped
    }
  }
  return out;
}

/** Queue a steering message; returns it. */
export async function queueSteering(dir: string, text: string, at = new Date()): Promise<SteerMessage> {
  const file = steerFile(dir);
  const msg: SteerMessage = {
    id: `${at.toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`,
    text,
    ts: at.toISOString(),
  };
  await withFileLock(dir, file, async () => {
    const all = [...queuedSteering(dir), msg];
    await writeAtomic(file, all.map((m) => `${JSON.stringify(m)}\n`).join(""));
  });
  return msg;
}

/** Remove delivered messages from the queue (ids not queued are ignored). */
export async function dropSteering(dir: string, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const file = steerFile(dir);
  await withFileLock(dir, file, async () => {
    const all = queuedSteering(dir);
    const left = all.filter((m) => !ids.includes(m.id));
    if (left.length !== all.length)
      await writeAtomic(file, left.map((m) => `${JSON.stringify(m)}\n`).join(""));
  });
}

export function isPaused(dir: string): boolean {
  return existsSync(path.join(dir, ".longrun", "control", "pause"));
}

export async function setPaused(dir: string, paused: boolean): Promise<void> {
  const file = path.join(controlDir(dir), "pause");
  if (paused) await writeAtomic(file, `${new Date().toISOString()}\n`);
  else rmSync(file, { force: true });
}

export function stopRequest(dir: string): StopRequest | null {
  try {
    return JSON.parse(
      readFileSync(path.join(dir, ".longrun", "control", "stop.json"), "utf8"),
    ) as StopRequest;
  } catch {
    return null;
  }
}

export async function requestStop(dir: string, now: boolean): Promise<void> {
  await writeAtomic(
    path.join(controlDir(dir), "stop.json"),
    `${JSON.stringify({ now, ts: new Date().toISOString() })}\n`,
  );
}

export function clearStop(dir: string): void {
  rmSync(path.join(dir, ".longrun", "control", "stop.json"), { force: true });
}
