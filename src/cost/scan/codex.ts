/**
 * Codex CLI's rollout logs: `<CODEX_HOME>/sessions/**\/rollout-*.jsonl` and `archived_sessions/`
 * (an archived copy of a file still under sessions/ is read once). The model comes from
 * `turn_context` (or the token_count line itself). A `token_count` event carries the thread's
 * running total and the last turn's usage: a repeated total (a re-emitted snapshot) counts nothing;
 * otherwise the last turn's usage counts, or where an old log has only totals, the growth of the
 * total. Codex's input includes cached reads (and cache writes), its output includes reasoning.
 * The same event copied into several rollouts (same time, model and numbers) counts once, and a
 * forked or subagent session's replay of its parent's events is not counted again.
 */
import path from "node:path";
import { UserError } from "../../core/user-error.ts";
import { filesUnder, home, isDir, pathList } from "./files.ts";
import { decodeLine, scanFile } from "./lines.ts";
import { count, type FileJob, type LogSource, type ScanStats } from "./types.ts";

interface Tok {
  input: number;
  cached: number;
  write: number;
  output: number;
  reasoning: number;
  total: number;
}

interface FileEvents {
  id: string | null;
  parent: string | null;
  events: { ms: number; second: number; model: string | null; t: Tok; key: string }[];
}

export const codexSource: LogSource = {
  name: "codex",
  roots(pathArg, env) {
    if (pathArg !== undefined) {
      const [root] = pathList(pathArg, env);
      if (!root || !isDir(root))
        throw new UserError(
          `cost scan: --path ${root ?? pathArg}: no such folder (Codex's home, the folder that holds sessions/)`,
        );
      return [root];
    }
    const homes = pathList(env.CODEX_HOME ?? path.join(home(env), ".codex"), env).filter(isDir);
    if (!homes.length)
      throw new UserError(
        `cost scan: no Codex logs in ${env.CODEX_HOME ?? path.join(home(env), ".codex")} (point --path or CODEX_HOME at Codex's home, the folder that holds sessions/)`,
      );
    return homes;
  },

  async jobs(roots) {
    const jobs: FileJob[] = [];
    for (const root of roots) {
      const sessions = path.join(root, "sessions");
      const archived = path.join(root, "archived_sessions");
      if (!isDir(sessions) && !isDir(archived)) {
        for (const f of await filesUnder(root, ".jsonl")) jobs.push(named(root, f));
        continue;
      }
      const live = await filesUnder(sessions, ".jsonl");
      const seen = new Set(live.map((f) => path.relative(sessions, f)));
      for (const f of live) jobs.push(named(sessions, f));
      for (const f of await filesUnder(archived, ".jsonl"))
        if (!seen.has(path.relative(archived, f))) jobs.push(named(archived, f));
    }
    return jobs;
  },

  read: (job, stats) => readRollout(job.file, stats),

  combiner(emit, stats) {
    const keysById = new Map<string, string[]>(); // each rollout's usage events, for its forks
    const waiting = new Map<string, { job: FileJob; fe: FileEvents }[]>(); // forks whose parent is not in yet
    const counted = new Set<string>();
    const count = (job: FileJob, fe: FileEvents, parentKeys: string[] | undefined) => {
      const skip = replayed(fe, parentKeys);
      stats.duplicates += skip;
      for (const ev of fe.events.slice(skip)) {
        if (counted.has(ev.key)) {
          stats.duplicates++;
          continue;
        }
        counted.add(ev.key);
        const cached = Math.min(ev.t.cached, ev.t.input);
        const write = Math.min(ev.t.write, ev.t.input - cached);
        emit({
          ms: ev.ms,
          model: ev.model,
          session: job.session,
          project: job.project,
          input: ev.t.input - cached - write,
          cachedInput: cached,
          cacheWrite: write,
          cacheWrite1h: 0,
          output: ev.t.output,
          reasoning: Math.min(ev.t.reasoning, ev.t.output),
        });
      }
    };
    return {
      add(job, value) {
        const fe = value as FileEvents;
        if (fe.id) {
          const keys = fe.events.map((e) => tokKey(e.t));
          keysById.set(fe.id, keys);
          for (const w of waiting.get(fe.id) ?? []) count(w.job, w.fe, keys);
          waiting.delete(fe.id);
        }
        if (!fe.parent) return count(job, fe, undefined);
        const parentKeys = keysById.get(fe.parent);
        if (parentKeys) count(job, fe, parentKeys);
        else waiting.set(fe.parent, [...(waiting.get(fe.parent) ?? []), { job, fe }]);
      },
      end() {
        for (const list of waiting.values()) for (const w of list) count(w.job, w.fe, undefined);
      },
    };
  },
};

/** Session (the path under sessions/ without .jsonl) and project (the day folder). */
function named(base: string, file: string): FileJob {
  const rel = path.relative(base, file).replace(/\.jsonl$/, "");
  return { file, session: rel, project: path.dirname(rel) === "." ? "(no folder)" : path.dirname(rel) };
}

/** Leading events of a fork that replay its parent's (or, parent unknown, a same-second burst). */
export function replayed(child: FileEvents, parentKeys: string[] | undefined): number {
  if (!child.parent || child.events.length === 0) return 0;
  if (parentKeys) {
    let i = 0;
    while (i < child.events.length && i < parentKeys.length && tokKey(child.events[i]!.t) === parentKeys[i])
      i++;
    return i;
  }
  const first = child.events[0]!.second;
  let n = 0;
  while (n < child.events.length && child.events[n]!.second === first) n++;
  return n >= 2 ? n : 0;
}

const tokKey = (t: Tok) => `${t.input},${t.cached},${t.write},${t.output},${t.reasoning},${t.total}`;

/** The usage events of one rollout, after the snapshot rules. */
async function readRollout(file: string, stats: ScanStats): Promise<FileEvents> {
  const fe: FileEvents = { id: null, parent: null, events: [] };
  let model: string | null = null;
  let prev: Tok | null = null;
  let first = true;
  await scanFile(
    file,
    ['"token_count"', '"turn_context"'],
    (b, s, e) => {
      const line = decodeLine(b, s, e);
      if (first && !line.includes('"forked_from_id"') && !line.includes('"parent_thread_id"')) {
        // The session header holds Codex's whole system prompt: parsing it only for its id made
        // garbage; a header of a fork (rare) is parsed below.
        const header =
          /^\s*\{.*?"type"\s*:\s*"session_meta".*?"payload"\s*:\s*\{.*?"id"\s*:\s*"([^"]*)"/.exec(
            line.slice(0, 4096),
          );
        if (header) {
          // a copy: a regex capture is a slice that would keep the whole header line alive
          fe.id = header[1] === undefined ? null : (JSON.parse(JSON.stringify(header[1])) as string);
          first = false;
          return;
        }
      }
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line) as Record<string, unknown>;
      } catch {
        stats.badLines++;
        return;
      }
      const p = (o?.payload ?? {}) as Record<string, unknown>;
      if (o.type === "session_meta") {
        if (first) {
          fe.id = typeof p.id === "string" ? p.id : null;
          const src = p.source as
            | { subagent?: { thread_spawn?: { parent_thread_id?: unknown } } }
            | undefined;
          const parent = p.forked_from_id ?? src?.subagent?.thread_spawn?.parent_thread_id;
          fe.parent = typeof parent === "string" ? parent : null;
        }
        first = false;
        return;
      }
      first = false;
      if (o.type === "turn_context") {
        if (typeof p.model === "string" && p.model) model = p.model;
        return;
      }
      if (o.type !== "event_msg" || p.type !== "token_count") return;
      const info = p.info as Record<string, unknown> | null | undefined;
      if (!info || typeof info !== "object") return;
      stats.entries++;
      const ms = timeOf(o.timestamp);
      if (ms === undefined) return void stats.badLines++;
      const own = [p.model, (info as { model?: unknown }).model].find((m) => typeof m === "string" && m);
      if (typeof own === "string") model = own;
      const total = tok(info.total_token_usage);
      const last = tok(info.last_token_usage);
      let t: Tok | null;
      if (total && prev && tokKey(total) === tokKey(prev))
        t = null; // a re-emitted snapshot
      else if (last) t = last;
      else if (total)
        t = prev
          ? {
              input: Math.max(0, total.input - prev.input),
              cached: Math.max(0, total.cached - prev.cached),
              write: Math.max(0, total.write - prev.write),
              output: Math.max(0, total.output - prev.output),
              reasoning: Math.max(0, total.reasoning - prev.reasoning),
              total: Math.max(0, total.total - prev.total),
            }
          : total;
      else t = null;
      if (total) prev = total;
      if (!t) return void stats.duplicates++;
      if (t.input + t.cached + t.output + t.reasoning === 0) return;
      fe.events.push({ ms, second: Math.floor(ms / 1000), model, t, key: `${ms}|${model}|${tokKey(t)}` });
    },
    stats,
    { anchor: "n_co", firstLine: true }, // one pass for "token_count" and "turn_context" (both hold "n_co"); line 1 is session_meta
  );
  return fe;
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v > 1e10 ? v : v * 1000;
  if (typeof v !== "string") return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Codex's usage object (names of several versions), or null when it is not one. */
function tok(v: unknown): Tok | null {
  if (!v || typeof v !== "object") return null;
  const u = v as Record<string, unknown>;
  const n = (...keys: string[]) => {
    for (const k of keys) {
      const x = count(u[k]);
      if (x !== undefined) return x;
    }
    return 0;
  };
  const input = n("input_tokens", "prompt_tokens", "input");
  const output = n("output_tokens", "completion_tokens", "output");
  const total = n("total_tokens");
  return {
    input,
    cached: n("cached_input_tokens", "cache_read_input_tokens", "cached_tokens"),
    write: n("cache_write_input_tokens"),
    output,
    reasoning: n("reasoning_output_tokens", "reasoning_tokens"),
    total: total || input + output,
  };
}
