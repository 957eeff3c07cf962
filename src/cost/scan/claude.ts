/**
 * Claude Code's session logs: `<config dir>/projects/<project>/<session>.jsonl` (and subagent files
 * below a session's folder). An assistant line carries `message.usage` of one API response; Claude
 * writes one response on several lines (one per content block), the earlier ones with partial output
 * counts, and replays some in sidechain files. Each response counts once, as its largest copy:
 * keyed by message id + request id (or + session where the request id is missing), a non-sidechain
 * copy over a sidechain one, then the larger total, then the larger output. A sidechain copy of a
 * message the main chain has under another request id is a replay and is dropped. Subagent progress
 * records nested in `data.message.message.usage` count too. Cache writes come from the
 * `cache_creation` object (5-minute + 1-hour) when present, else `cache_creation_input_tokens`.
 */
import path from "node:path";
import { UserError } from "../../core/user-error.ts";
import { Fields } from "./fields.ts";
import { filesUnder, home, isDir, pathList, under } from "./files.ts";
import { JsonPicker, K } from "./json-pick.ts";
import { decodeLine, scanFile } from "./lines.ts";
import { count, type FileJob, type LogSource, type ScanEntry, type ScanStats } from "./types.ts";

interface Kept extends ScanEntry {
  sidechain: boolean;
  total: number;
}

export const claudeSource: LogSource = {
  name: "claude",
  roots(pathArg, env) {
    if (pathArg !== undefined) {
      const [root] = pathList(pathArg, env);
      if (!root || !isDir(root)) throw new UserError(`cost scan: --path ${root ?? pathArg}: no such folder`);
      return [configDir(root, "--path")];
    }
    if (env.CLAUDE_CONFIG_DIR !== undefined) {
      const dirs = pathList(env.CLAUDE_CONFIG_DIR, env).filter(
        (d) => isDir(path.join(d, "projects")) || path.basename(d) === "projects",
      );
      if (!dirs.length)
        throw new UserError(
          `cost scan: CLAUDE_CONFIG_DIR=${env.CLAUDE_CONFIG_DIR} holds no projects/ folder (point it, or --path, at Claude Code's config folder)`,
        );
      return [...new Set(dirs.map((d) => configDir(d, "CLAUDE_CONFIG_DIR")))];
    }
    const defaults = [
      path.join(env.XDG_CONFIG_HOME || path.join(home(env), ".config"), "claude"),
      path.join(home(env), ".claude"),
    ];
    const found = defaults.filter((d) => isDir(path.join(d, "projects")));
    if (!found.length)
      throw new UserError(
        `cost scan: no Claude Code logs in ${defaults.join(" or ")} (point --path or CLAUDE_CONFIG_DIR at the folder that holds projects/)`,
      );
    return found;
  },

  async jobs(roots) {
    const jobs: FileJob[] = [];
    for (const root of roots) {
      const projects = path.join(root, "projects");
      for (const file of await filesUnder(projects, ".jsonl"))
        jobs.push({ file, ...sessionOf(under(projects, file)) });
    }
    return jobs;
  },

  async read(job, stats) {
    const r = new ClaudeFile(job, stats);
    await scanFile(job.file, ['"usage"'], (b, s, e) => r.line(b, s, e), stats); // "usage": found faster than "input_tokens"
    return r.records;
  },

  combiner(emit, stats) {
    const kept = new KeptTable();
    const byKey = new Map<string, number>(); // rows of kept
    const sideByMessage = new Map<string, number>(); // sidechain copies with a request id, by message id
    const mainMessages = new Set<string>(); // message ids the main chain has with a request id
    const keep = (map: Map<string, number>, key: string, e: Kept) => {
      const old = map.get(key);
      if (old === undefined) return void map.set(key, kept.add(e));
      stats.duplicates++;
      if (kept.worse(old, e)) kept.put(old, e);
    };
    return {
      add(job, value) {
        for (const { entry, messageId, requestId, sessionId } of value as Record_[]) {
          if (!messageId) emit(entry);
          else if (requestId && entry.sidechain) keep(sideByMessage, messageId, entry);
          else {
            if (requestId) mainMessages.add(messageId);
            // joined, not concatenated: a template literal makes a rope of strings, and keys are kept
            const key = requestId
              ? [messageId, requestId].join("\u0000")
              : [messageId, sessionId ?? job.session].join("\u0000s:");
            keep(byKey, key, entry);
          }
        }
      },
      end() {
        for (const row of byKey.values()) emit(kept.entry(row));
        for (const [messageId, row] of sideByMessage) {
          if (mainMessages.has(messageId)) stats.duplicates++;
          else emit(kept.entry(row));
        }
      },
    };
  },
};

/** The config dir of a path that is one, or is its projects/ folder. */
function configDir(p: string, via: string): string {
  if (isDir(path.join(p, "projects"))) return p;
  if (path.basename(p) === "projects") return path.dirname(p);
  throw new UserError(
    `cost scan: ${via} ${p} holds no projects/ folder (Claude Code keeps its logs in <config dir>/projects/)`,
  );
}

/** Session and project from a log's path under projects/ (as Claude Code lays them out). */
export function sessionOf(rel: string): { session: string; project: string } {
  const parts = rel.split(path.sep);
  const name = parts.pop() ?? "";
  if (parts.at(-1) === "subagents") parts.pop();
  if (parts.length === 0) return { session: name.replace(/\.jsonl$/, ""), project: "(no project)" };
  if (parts.length === 1) return { session: name.replace(/\.jsonl$/, ""), project: parts[0]! };
  return { session: parts.at(-1)!, project: parts.slice(0, -1).join("/") };
}

/**
 * The responses kept to the end of a scan, in columns: an object per response (and boxed numbers in
 * it) was most of a big scan's memory, and every one of them aged through the young generation.
 */
class KeptTable {
  private rows = 0;
  /** Per row: ms, input, cachedInput, cacheWrite, cacheWrite1h, output, total, sidechain (1/0). */
  private num = new Float64Array(8 * 4096);
  private readonly model: (string | null)[] = [];
  private readonly session: string[] = [];
  private readonly project: string[] = [];

  add(e: Kept): number {
    const row = this.rows++;
    if (this.rows * 8 > this.num.length) {
      const bigger = new Float64Array(this.num.length * 2);
      bigger.set(this.num);
      this.num = bigger;
    }
    this.put(row, e);
    return row;
  }

  put(row: number, e: Kept): void {
    const n = this.num;
    const o = row * 8;
    n[o] = e.ms;
    n[o + 1] = e.input;
    n[o + 2] = e.cachedInput;
    n[o + 3] = e.cacheWrite;
    n[o + 4] = e.cacheWrite1h;
    n[o + 5] = e.output;
    n[o + 6] = e.total;
    n[o + 7] = e.sidechain ? 1 : 0;
    this.model[row] = e.model;
    this.session[row] = e.session;
    this.project[row] = e.project;
  }

  /**
   * Whether `e` beats the kept copy: a non-sidechain copy over a sidechain one, then the larger
   * total, then the larger output (a tie keeps the first).
   */
  worse(row: number, e: Kept): boolean {
    const n = this.num;
    const o = row * 8;
    const side = n[o + 7] === 1;
    return e.sidechain !== side
      ? !e.sidechain
      : e.total !== n[o + 6]
        ? e.total > n[o + 6]!
        : e.output > n[o + 5]!;
  }

  entry(row: number): ScanEntry {
    const n = this.num;
    const o = row * 8;
    return {
      ms: n[o]!,
      model: this.model[row]!,
      session: this.session[row]!,
      project: this.project[row]!,
      input: n[o + 1]!,
      cachedInput: n[o + 2]!,
      cacheWrite: n[o + 3]!,
      cacheWrite1h: n[o + 4]!,
      output: n[o + 5]!,
      reasoning: 0,
    };
  }
}

interface Record_ {
  entry: Kept;
  messageId: string | null;
  requestId: string | null;
  sessionId: string | null;
}
type Read = Record_ | "bad" | "skip";

/** The usage entry of one parsed line (an assistant line, or a subagent progress record). */
export function entryOf(o: Record<string, unknown>, session: string, project: string): Read {
  let rec = o;
  let message = o.message as Record<string, unknown> | undefined;
  if (!message || typeof message !== "object" || !message.usage) {
    // a subagent's response inside a progress record: data.message.message.usage
    const inner = (o.data as { message?: Record<string, unknown> } | undefined)?.message;
    const m = inner?.message as Record<string, unknown> | undefined;
    if (!inner || !m || typeof m !== "object" || !m.usage) return "skip";
    rec = inner;
    message = m;
  }
  const u = message.usage as Record<string, unknown>;
  if (typeof u !== "object" || u === null) return "skip";
  const input = count(u.input_tokens);
  const output = count(u.output_tokens);
  const ms = typeof rec.timestamp === "string" ? Date.parse(rec.timestamp) : Number.NaN;
  if (input === undefined || output === undefined || Number.isNaN(ms)) return "bad";
  const cc = u.cache_creation as Record<string, unknown> | null | undefined;
  let cacheWrite: number;
  let cacheWrite1h = 0;
  if (cc && typeof cc === "object") {
    cacheWrite1h = count(cc.ephemeral_1h_input_tokens) ?? 0;
    cacheWrite = (count(cc.ephemeral_5m_input_tokens) ?? 0) + cacheWrite1h;
  } else cacheWrite = count(u.cache_creation_input_tokens) ?? 0;
  const cachedInput = count(u.cache_read_input_tokens) ?? 0;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    entry: {
      ms,
      model: str(message.model),
      session,
      project,
      input,
      cachedInput,
      cacheWrite,
      cacheWrite1h,
      output,
      reasoning: 0, // Claude reports thinking inside output_tokens, not apart
      sidechain: rec.isSidechain === true,
      total: input + output + cacheWrite + cachedInput,
    },
    messageId: str(message.id),
    requestId: str(rec.requestId),
    sessionId: str(rec.sessionId),
  };
}

const USAGE = {
  input_tokens: true,
  output_tokens: true,
  cache_read_input_tokens: true,
  cache_creation_input_tokens: true,
  cache_creation: { ephemeral_5m_input_tokens: true, ephemeral_1h_input_tokens: true },
} as const;
const REC = {
  isSidechain: true,
  requestId: true,
  sessionId: true,
  timestamp: true,
  message: { id: true, model: true, usage: USAGE },
} as const;
const picker = new JsonPicker({ ...REC, data: { message: REC } });
const F = new Fields(picker);
const TOP = picker.slots;

/**
 * One file's usage lines, in order. Claude writes a response once per content block, consecutive
 * lines with the same ids: such a line is merged into the record before it here (the better copy
 * kept, a duplicate counted), as the combiner would, without making its strings and record.
 */
class ClaudeFile {
  readonly records: Record_[] = [];
  private readonly job: FileJob;
  private readonly stats: ScanStats;
  /** The last record from the fast path, while it is the last record, and its ids' bytes. */
  private last: Record_ | undefined;
  private readonly ids = Buffer.alloc(1024);
  private readonly idLength = [-1, -1, -1];

  constructor(job: FileJob, stats: ScanStats) {
    this.job = job;
    this.stats = stats;
  }

  line(b: Buffer, s: number, e: number): void {
    if (picker.pick(b, s, e) && this.picked(b)) return;
    this.last = undefined;
    const line = decodeLine(b, s, e);
    let o: unknown;
    try {
      o = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
    } catch {
      return void this.stats.badLines++;
    }
    if (!o || typeof o !== "object" || Array.isArray(o)) return;
    const r = entryOf(o as Record<string, unknown>, this.job.session, this.job.project);
    if (r === "bad") this.stats.badLines++;
    else if (r !== "skip") {
      this.stats.entries++;
      this.records.push(r);
    }
  }

  /**
   * entryOf() from a line's picked fields (json-pick.ts); false (nothing done) where JSON.parse
   * must decide: an escaped string, a number that is not a plain whole one, an array where an
   * object is looked for.
   */
  private picked(b: Buffer): boolean {
    const kind = picker.kind;
    F.unsure = false;
    let rec: typeof TOP | typeof TOP.data.message = TOP;
    const usable = (r: typeof rec): boolean | undefined => {
      const m = kind[r.message.$];
      if (m === K.arr) return undefined;
      if (m !== K.obj) return false;
      const u = kind[r.message.usage.$];
      if (u === K.obj) return true;
      if (u === K.absent || u === K.null || u === K.false) return false;
      return undefined; // a truthy non-object, 0, "" or an array: left to the slow path
    };
    let ok = usable(rec);
    if (ok === undefined) return false;
    if (!ok) {
      // a subagent's response inside a progress record: data.message.message.usage
      if (kind[TOP.data.$] !== K.obj) return true; // skip
      const inner = kind[TOP.data.message.$];
      if (inner === K.arr) return false;
      if (inner !== K.obj) return true;
      rec = TOP.data.message;
      ok = usable(rec);
      if (ok === undefined) return false;
      if (!ok) return true;
    }
    const m = rec.message;
    const u = m.usage;
    const input = F.count(u.input_tokens);
    const output = F.count(u.output_tokens);
    const ms = F.time(b, rec.timestamp);
    let cacheWrite: number;
    let cacheWrite1h = 0;
    const cc = kind[u.cache_creation.$];
    if (cc === K.arr) return false;
    if (cc === K.obj) {
      cacheWrite1h = F.count(u.cache_creation.ephemeral_1h_input_tokens) ?? 0;
      cacheWrite = (F.count(u.cache_creation.ephemeral_5m_input_tokens) ?? 0) + cacheWrite1h;
    } else cacheWrite = F.count(u.cache_creation_input_tokens) ?? 0;
    const cachedInput = F.count(u.cache_read_input_tokens) ?? 0;
    const model = F.nonEmpty(b, m.model, true);
    // the ids as bytes (a string or null); an escaped one goes the slow way
    const idSlots = [m.id, rec.requestId, rec.sessionId];
    for (const slot of idSlots) if (kind[slot] === K.strX) return false;
    if (F.unsure) return false;
    const stats = this.stats;
    if (input === undefined || output === undefined || Number.isNaN(ms)) {
      stats.badLines++;
      return true;
    }
    stats.entries++;
    const sidechain = kind[rec.isSidechain] === K.true;
    const total = input + output + cacheWrite + cachedInput;
    const last = this.last;
    if (last && last.entry.sidechain === sidechain && this.sameIds(b, idSlots)) {
      // the same response again (the combiner would count a duplicate and keep the better copy)
      stats.duplicates++;
      const old = last.entry;
      if (total !== old.total ? total > old.total : output > old.output) {
        old.ms = ms;
        old.model = model;
        old.input = input;
        old.cachedInput = cachedInput;
        old.cacheWrite = cacheWrite;
        old.cacheWrite1h = cacheWrite1h;
        old.output = output;
        old.total = total;
      }
      return true;
    }
    const { session, project } = this.job;
    const r: Record_ = {
      entry: {
        ms,
        model,
        session,
        project,
        input,
        cachedInput,
        cacheWrite,
        cacheWrite1h,
        output,
        reasoning: 0,
        sidechain,
        total,
      },
      messageId: F.nonEmpty(b, m.id),
      requestId: F.nonEmpty(b, rec.requestId),
      sessionId: F.nonEmpty(b, rec.sessionId),
    };
    this.records.push(r);
    // a record without a message id counts every line: nothing merges into it
    this.last = r.messageId ? r : undefined;
    if (this.last) this.keepIds(b, idSlots);
    return true;
  }

  /** Whether the id slots hold what the last record's did (a non-empty string's bytes, or none). */
  private sameIds(b: Buffer, slots: number[]): boolean {
    const { start, end } = picker;
    let at = 0;
    for (let k = 0; k < 3; k++) {
      const slot = slots[k]!;
      const n = picker.kind[slot] === K.str ? end[slot]! - start[slot]! : 0;
      if (n !== this.idLength[k]) return false;
      const s = start[slot]!;
      for (let x = 0; x < n; x++) if (b[s + x] !== this.ids[at + x]) return false;
      at += n;
    }
    return true;
  }

  private keepIds(b: Buffer, slots: number[]): void {
    const { start, end } = picker;
    let at = 0;
    for (let k = 0; k < 3; k++) {
      const slot = slots[k]!;
      const n = picker.kind[slot] === K.str ? end[slot]! - start[slot]! : 0;
      if (at + n > this.ids.length) {
        this.last = undefined; // ids too long to keep: no merging
        return;
      }
      if (n > 0) b.copy(this.ids, at, start[slot]!, end[slot]!);
      this.idLength[k] = n;
      at += n;
    }
  }
}
