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
import { builtin } from "../../store/builtin.ts";
import { EventSet } from "./event-set.ts";
import { Fields } from "./fields.ts";
import { filesUnder, home, isDir, pathList, under } from "./files.ts";
import { JsonPicker, K } from "./json-pick.ts";
import { decodeLine, holds, scanFile } from "./lines.ts";
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
  events: { ms: number; second: number; model: string | null; t: Tok }[];
}

const { isAscii } = builtin("node:buffer");

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
      const seen = new Set(live.map((f) => under(sessions, f)));
      for (const f of live) jobs.push(named(sessions, f));
      for (const f of await filesUnder(archived, ".jsonl"))
        if (!seen.has(under(archived, f))) jobs.push(named(archived, f));
    }
    return jobs;
  },

  read: (job, stats) => readRollout(job.file, stats),

  combiner(emit, stats) {
    const keysById = new Map<string, Float64Array>(); // each rollout's usage events, for its forks
    const waiting = new Map<string, { job: FileJob; fe: FileEvents }[]>(); // forks whose parent is not in yet
    const counted = new EventSet();
    const count = (job: FileJob, fe: FileEvents, parentKeys: Float64Array | undefined) => {
      const skip = replayed(fe, parentKeys);
      stats.duplicates += skip;
      for (let i = skip; i < fe.events.length; i++) {
        const ev = fe.events[i]!;
        if (!counted.add(ev.ms, ev.model, ev.t)) {
          stats.duplicates++;
          continue;
        }
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
          const keys = tokKeys(fe);
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
  const relPath = under(base, file);
  const rel = relPath.endsWith(".jsonl") ? relPath.slice(0, -".jsonl".length) : relPath;
  const folder = path.dirname(rel);
  return { file, session: rel, project: folder === "." ? "(no folder)" : folder };
}

/** Leading events of a fork that replay its parent's (or, parent unknown, a same-second burst). */
export function replayed(child: FileEvents, parentKeys: Float64Array | undefined): number {
  if (!child.parent || child.events.length === 0) return 0;
  if (parentKeys) {
    let i = 0;
    while (i < child.events.length && i * 6 < parentKeys.length && sameAt(child.events[i]!.t, parentKeys, i))
      i++;
    return i;
  }
  const first = child.events[0]!.second;
  let n = 0;
  while (n < child.events.length && child.events[n]!.second === first) n++;
  return n >= 2 ? n : 0;
}

/**
 * The numbers of each event's usage, 6 per event, in order (what a fork's replay is matched by;
 * compact: every rollout's are kept to the end of the scan).
 */
function tokKeys(fe: FileEvents): Float64Array {
  const keys = new Float64Array(fe.events.length * 6);
  let i = 0;
  for (const { t } of fe.events) {
    keys[i] = t.input;
    keys[i + 1] = t.cached;
    keys[i + 2] = t.write;
    keys[i + 3] = t.output;
    keys[i + 4] = t.reasoning;
    keys[i + 5] = t.total;
    i += 6;
  }
  return keys;
}

const sameAt = (t: Tok, keys: Float64Array, i: number) =>
  t.input === keys[i * 6] &&
  t.cached === keys[i * 6 + 1] &&
  t.write === keys[i * 6 + 2] &&
  t.output === keys[i * 6 + 3] &&
  t.reasoning === keys[i * 6 + 4] &&
  t.total === keys[i * 6 + 5];

/** The usage events of one rollout, after the snapshot rules. */
async function readRollout(file: string, stats: ScanStats): Promise<FileEvents> {
  const r = new Rollout(stats);
  // one fast pass for "token_count" and "turn_context" (both hold "n_co"); line 1 is session_meta
  await scanFile(file, MARKERS, (b, s, e) => r.line(b, s, e), stats, {
    anchor: "n_co",
    firstLine: true,
  });
  return r.fe;
}

const MARKERS = ['"token_count"', '"turn_context"'];

const TOK = {
  input_tokens: true,
  prompt_tokens: true,
  input: true,
  output_tokens: true,
  completion_tokens: true,
  output: true,
  total_tokens: true,
  cached_input_tokens: true,
  cache_read_input_tokens: true,
  cached_tokens: true,
  cache_write_input_tokens: true,
  reasoning_output_tokens: true,
  reasoning_tokens: true,
} as const;
const picker = new JsonPicker({
  timestamp: true,
  type: true,
  payload: {
    type: true,
    id: true,
    model: true,
    forked_from_id: true,
    source: { subagent: { thread_spawn: { parent_thread_id: true } } },
    info: { model: true, total_token_usage: TOK, last_token_usage: TOK },
  },
});
const F = new Fields(picker);
const S = picker.slots;
const SESSION_META = Buffer.from("session_meta");
const TURN_CONTEXT = Buffer.from("turn_context");
const EVENT_MSG = Buffer.from("event_msg");
const TOKEN_COUNT = Buffer.from("token_count");
const FORKED = Buffer.from('"forked_from_id"');
const PARENT = Buffer.from('"parent_thread_id"');
const HEADER = /^\s*\{.*?"type"\s*:\s*"session_meta".*?"payload"\s*:\s*\{.*?"id"\s*:\s*"([^"]*)"/;

/** One rollout's lines in order: the snapshot rules need the previous total and the model in force. */
class Rollout {
  readonly fe: FileEvents = { id: null, parent: null, events: [] };
  private model: string | null = null;
  private prev: Tok | null = null;
  private first = true;
  private readonly stats: ScanStats;

  constructor(stats: ScanStats) {
    this.stats = stats;
  }

  line(b: Buffer, s: number, e: number): void {
    if (this.first && !holds(b, s, e, FORKED) && !holds(b, s, e, PARENT)) {
      // The session header holds Codex's whole system prompt: parsing it only for its id made
      // garbage; a header of a fork (rare) is parsed below. The regex reads the line's first 4096
      // characters: its first 4096 bytes where those are ASCII, else they come from its first 16 KiB.
      // (a prefix's decoding is the line's but for its last unit, which may be cut: 4097 are enough)
      const ascii = Math.min(e, s + 4096);
      let head = isAscii(b.subarray(s, ascii)) ? b.toString("latin1", s, ascii) : "";
      if (!head) {
        head = decodeLine(b, s, Math.min(e, s + 4096 + 256));
        if (head.length <= 4096 && s + 4096 + 256 < e) head = decodeLine(b, s, Math.min(e, s + 4 * 4096));
        head = head.slice(0, 4096);
      }
      const header = HEADER.exec(head);
      if (header) {
        // a copy: a regex capture is a slice that would keep the whole header line alive
        this.fe.id = header[1] === undefined ? null : (JSON.parse(JSON.stringify(header[1])) as string);
        this.first = false;
        return;
      }
    }
    if (!picker.pick(b, s, e) || !this.picked(b)) this.parsed(decodeLine(b, s, e));
  }

  /** The line from its picked fields; false (nothing changed) where JSON.parse must decide. */
  private picked(b: Buffer): boolean {
    F.unsure = false;
    const type = S.type;
    const p = S.payload;
    if (F.is(b, type, SESSION_META)) {
      if (this.first) {
        const id = F.string(b, p.id);
        let parent: string | null;
        const forked = picker.kind[p.forked_from_id];
        if (forked !== K.absent && forked !== K.null) parent = F.string(b, p.forked_from_id);
        else {
          const src = p.source;
          parent =
            picker.kind[src.$] === K.obj &&
            picker.kind[src.subagent.$] === K.obj &&
            picker.kind[src.subagent.thread_spawn.$] === K.obj
              ? F.string(b, src.subagent.thread_spawn.parent_thread_id)
              : null;
        }
        if (F.unsure) return false;
        this.fe.id = id;
        this.fe.parent = parent;
      }
      if (F.unsure) return false;
      this.first = false;
      return true;
    }
    if (F.is(b, type, TURN_CONTEXT)) {
      const model = F.nonEmpty(b, p.model, true);
      if (F.unsure) return false;
      this.first = false;
      if (model) this.model = model;
      return true;
    }
    if (!F.is(b, type, EVENT_MSG) || !F.is(b, p.type, TOKEN_COUNT)) {
      if (F.unsure) return false;
      this.first = false;
      return true;
    }
    const info = picker.kind[p.info.$];
    if (info === K.arr) return false;
    if (info !== K.obj) {
      this.first = false;
      return true;
    }
    let ms: number | undefined;
    const tk = picker.kind[S.timestamp];
    if (tk === K.int) {
      const v = picker.num[S.timestamp]!;
      ms = v > 1e10 ? v : v * 1000;
    } else if (tk === K.num) return false;
    else if (tk === K.str || tk === K.strX) {
      const t = F.time(b, S.timestamp);
      ms = Number.isNaN(t) ? undefined : t;
    }
    const own = F.nonEmpty(b, p.model, true) ?? F.nonEmpty(b, p.info.model, true);
    const total = this.tok(p.info.total_token_usage);
    const last = this.tok(p.info.last_token_usage);
    if (F.unsure || total === false || last === false) return false;
    this.first = false;
    this.stats.entries++;
    if (ms === undefined) {
      this.stats.badLines++;
      return true;
    }
    if (own) this.model = own;
    this.usage(ms, total, last);
    return true;
  }

  /** tok() of a picked usage object; false: unsure. */
  private tok(u: typeof TOK_SLOTS): Tok | null | false {
    const k = picker.kind[u.$];
    if (k === K.arr) return false;
    if (k !== K.obj) return null;
    const n = firstCount;
    const input = n(u.input_tokens, u.prompt_tokens, u.input);
    const output = n(u.output_tokens, u.completion_tokens, u.output);
    const total = n(u.total_tokens);
    return {
      input,
      cached: n(u.cached_input_tokens, u.cache_read_input_tokens, u.cached_tokens),
      write: n(u.cache_write_input_tokens),
      output,
      reasoning: n(u.reasoning_output_tokens, u.reasoning_tokens),
      total: total || input + output,
    };
  }

  /** The line the slow way: decoded and parsed. */
  private parsed(line: string): void {
    const { fe, stats } = this;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line) as Record<string, unknown>;
    } catch {
      stats.badLines++;
      return;
    }
    const p = (o?.payload ?? {}) as Record<string, unknown>;
    if (o.type === "session_meta") {
      if (this.first) {
        fe.id = typeof p.id === "string" ? p.id : null;
        const src = p.source as { subagent?: { thread_spawn?: { parent_thread_id?: unknown } } } | undefined;
        const parent = p.forked_from_id ?? src?.subagent?.thread_spawn?.parent_thread_id;
        fe.parent = typeof parent === "string" ? parent : null;
      }
      this.first = false;
      return;
    }
    this.first = false;
    if (o.type === "turn_context") {
      if (typeof p.model === "string" && p.model) this.model = p.model;
      return;
    }
    if (o.type !== "event_msg" || p.type !== "token_count") return;
    const info = p.info as Record<string, unknown> | null | undefined;
    if (!info || typeof info !== "object") return;
    stats.entries++;
    const ms = timeOf(o.timestamp);
    if (ms === undefined) return void stats.badLines++;
    const own = [p.model, (info as { model?: unknown }).model].find((m) => typeof m === "string" && m);
    if (typeof own === "string") this.model = own;
    this.usage(ms, tok(info.total_token_usage), tok(info.last_token_usage));
  }

  /** A token_count's usage after the snapshot rules. */
  private usage(ms: number, total: Tok | null, last: Tok | null): void {
    const prev = this.prev;
    let t: Tok | null;
    if (total && prev && sameTok(total, prev))
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
    if (total) this.prev = total;
    if (!t) return void this.stats.duplicates++;
    if (t.input + t.cached + t.output + t.reasoning === 0) return;
    const model = this.model;
    this.fe.events.push({ ms, second: Math.floor(ms / 1000), model, t });
  }
}

const TOK_SLOTS = S.payload.info.total_token_usage;

/** The first of up to three slots that holds a count, else 0 (tok()'s names of several versions). */
const firstCount = (a: number, b = -1, c = -1): number =>
  F.count(a) ?? (b < 0 ? undefined : F.count(b)) ?? (c < 0 ? undefined : F.count(c)) ?? 0;

const sameTok = (a: Tok, b: Tok) =>
  a.input === b.input &&
  a.cached === b.cached &&
  a.write === b.write &&
  a.output === b.output &&
  a.reasoning === b.reasoning &&
  a.total === b.total;

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
