/**
 * The repo's files as the dashboard reads them: the checklist, the run log, the control folder and the
 * git branch, each read again only when its size or mtime changed (the server looks several times a
 * second). A file that is broken or half-written shows as a one-line problem, never as a crash.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Checklist } from "../core/checklist-schema.ts";
import type { LogEvent } from "../core/run-log.ts";
import { UserError } from "../core/user-error.ts";
import { requireChecklist } from "../store/checklist-load.ts";
import { isPaused, queuedSteering, type SteerMessage, stopRequest } from "../store/control.ts";
import { type RunHolder, runHolder } from "../store/run-lock.ts";
import { loadRunLog } from "../store/run-log-read.ts";
import { fileStamp } from "../store/status-inputs.ts";

export interface ControlState {
  paused: boolean;
  stop: { now: boolean; ts: string } | null;
  steering: SteerMessage[];
  holder: RunHolder | null;
}

/** Log events kept for the page. */
const LOG_KEEP = 60;

export class RepoFiles {
  readonly dir: string;
  private checklistSig = "";
  checklist: Checklist | null = null;
  checklistError: string | null = null;
  private logSig = "";
  logEvents: LogEvent[] = [];
  logError: string | null = null;
  private controlSig = "";
  control: ControlState = { paused: false, stop: null, steering: [], holder: null };
  branch: string | null = null;
  private headSig = "";

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Read again what changed; true when anything did. */
  async refresh(): Promise<boolean> {
    let changed = false;
    const cl = fileStamp(path.join(this.dir, "checklist.yaml"));
    if (cl !== this.checklistSig) {
      this.checklistSig = cl;
      changed = true;
      try {
        this.checklist = (await requireChecklist(this.dir)).doc.data as Checklist;
        this.checklistError = null;
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        // Keep the last good tasks on screen while the file is broken (or mid-write).
        this.checklistError = err.message;
      }
    }
    const lg = fileStamp(path.join(this.dir, "run-log.md"));
    if (lg !== this.logSig) {
      this.logSig = lg;
      changed = true;
      try {
        const events = loadRunLog(this.dir).parsed.events;
        this.logEvents = events.slice(-LOG_KEEP);
        this.logError = null;
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        this.logError = err.message;
      }
    }
    const c = path.join(this.dir, ".longrun", "control");
    const lock = path.join(this.dir, ".longrun", "locks", "run.json");
    const ctl = [c, `${c}/steer.jsonl`, `${c}/pause`, `${c}/stop.json`, lock]
      .map((f) => fileStamp(f))
      .join("|");
    if (ctl !== this.controlSig || (this.control.holder && !runHolder(this.dir))) {
      this.controlSig = ctl;
      changed = true;
      this.control = {
        paused: isPaused(this.dir),
        stop: stopRequest(this.dir),
        steering: queuedSteering(this.dir),
        holder: runHolder(this.dir),
      };
    }
    const head = this.headFile();
    const hs = head ? fileStamp(head) : "none";
    if (hs !== this.headSig) {
      this.headSig = hs;
      changed = true;
      this.branch = head ? branchOf(head) : null;
    }
    return changed;
  }

  /** `.git/HEAD`, following a worktree's `.git` file to its git folder. */
  private headFile(): string | null {
    const dotGit = path.join(this.dir, ".git");
    try {
      if (statSync(dotGit).isDirectory()) return path.join(dotGit, "HEAD");
      const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
      return m ? path.resolve(this.dir, m[1]!.trim(), "HEAD") : null;
    } catch {
      return null;
    }
  }
}

function branchOf(head: string): string | null {
  try {
    const text = readFileSync(head, "utf8").trim();
    const m = /^ref: refs\/heads\/(.+)$/.exec(text);
    return m ? m[1]! : `detached at ${text.slice(0, 10)}`;
  } catch {
    return null;
  }
}
