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
 * The keys are kept as bytes (byte-keys.ts) and the kept copies in columns (KeptTable): a big scan
 * keeps one of each per response to its end.
 */
import path from "node:path";
import { UserError } from "../../core/user-error.ts";
import { ByteKeys, hashBytes, putString, room } from "./byte-keys.ts";
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
    await scanFile(job.file, MARKERS, (b, s, e) => r.line(b, s, e), stats);
    return { records: r.records, keys: r.keys.subarray(0, r.top) } satisfies ClaudeRead;
  },

  combiner(emit, stats) {
    const kept = new KeptTable();
    const byKey = new ByteKeys(); // rows of kept, by message id + request id (or + session)
    const sideByMessage = new ByteKeys(); // sidechain copies with a request id, by message id
    const mainMessages = new ByteKeys(); // message ids the main chain has with a request id
    const keep = (map: ByteKeys, keys: Uint8Array, at: number, n: number, e: Kept) => {
      const h = hashBytes(keys, at, n);
      const old = map.get(keys, at, n, h);
      if (old < 0) return map.set(keys, at, n, h, kept.add(e));
      stats.duplicates++;
      if (kept.worse(old, e)) kept.put(old, e);
    };
    return {
      add(_job, value) {
        const { records, keys } = value as ClaudeRead;
        for (const r of records) {
          if (r.kind === NO_ID) emit(r.entry);
          else if (r.kind === SIDE) keep(sideByMessage, keys, r.key, r.keyLength, r.entry);
          else {
            if (r.kind === MAIN)
              mainMessages.set(
                keys,
                r.message,
                r.messageLength,
                hashBytes(keys, r.message, r.messageLength),
                0,
              );
            keep(byKey, keys, r.key, r.keyLength, r.entry);
          }
        }
      },
      end() {
        byKey.each((row) => emit(kept.entry(row)));
        sideByMessage.each((row, bytes, at, n, h) => {
          if (mainMessages.get(bytes, at, n, h) >= 0) stats.duplicates++;
          else emit(kept.entry(row));
        });
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

/** A usage line as entryOf() reads it. */
interface Parsed {
  entry: Kept;
  messageId: string | null;
  requestId: string | null;
  sessionId: string | null;
}
type Read = Parsed | "bad" | "skip";

type Rec = typeof TOP | typeof TOP.data.message;

/** Whether a record's `message` is one with usage: yes, no, or undefined (left to the slow path). */
function usable(kind: Uint8Array, r: Rec): boolean | undefined {
  const m = kind[r.message.$];
  if (m === K.arr) return undefined;
  if (m !== K.obj) return false;
  const u = kind[r.message.usage.$];
  if (u === K.obj) return true;
  if (u === K.absent || u === K.null || u === K.false) return false;
  return undefined; // a truthy non-object, 0, "" or an array: left to the slow path
}

/** Whether bytes[a, a + n) and bytes[b, b + n) are equal. */
function sameBytes(bytes: Uint8Array, a: number, b: number, n: number): boolean {
  for (let x = 0; x < n; x++) if (bytes[a + x] !== bytes[b + x]) return false;
  return true;
}

/** How a response is told apart (see the file's doc comment). */
const NO_ID = 0; // no message id: every line counts
const SIDE = 1; // a sidechain copy with a request id: by message id
const MAIN = 2; // by message id + request id; the main chain has this message id
const BY_SESSION = 3; // no request id: by message id + session

/**
 * A response read from a file: its entry, and its keys as bytes (byte-keys.ts) in the file's
 * `keys`: the key it is told apart by (the joined strings a Map was keyed by before) and, for MAIN,
 * the message id alone.
 */
interface Record_ {
  entry: Kept;
  kind: number;
  key: number;
  keyLength: number;
  message: number;
  messageLength: number;
}
/** What read() gives for a file. */
interface ClaudeRead {
  records: Record_[];
  keys: Uint8Array;
}

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

const MARKERS = ['"usage"']; // on the same lines as "input_tokens", found faster

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
 * kept, a duplicate counted), as the combiner would, without making a record for it.
 */
class ClaudeFile {
  readonly records: Record_[] = [];
  /** The records' keys; bytes [0, top) in use. */
  keys: Uint8Array = new Uint8Array(4096);
  top = 0;
  private readonly job: FileJob;
  private readonly stats: ScanStats;
  /** The last record, while it came from the fast path and is the last one. */
  private last: Record_ | undefined;

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
      this.add(r);
    }
  }

  /** A record of a line read the slow way: its keys from the strings. */
  private add({ entry, messageId, requestId, sessionId }: Parsed): void {
    const at = this.top;
    let kind = NO_ID;
    let message = at;
    let messageLength = 0;
    if (messageId) {
      if (requestId && entry.sidechain) {
        kind = SIDE;
        this.put(messageId);
      } else if (requestId) {
        kind = MAIN;
        this.put([messageId, requestId].join("\u0000"));
        message = this.top;
        this.put(messageId);
        messageLength = this.top - message;
      } else {
        kind = BY_SESSION;
        this.put([messageId, sessionId ?? this.job.session].join("\u0000s:"));
      }
    }
    const keyLength = kind === MAIN ? message - at : this.top - at;
    this.records.push({ entry, kind, key: at, keyLength, message, messageLength });
  }

  private put(s: string): void {
    const r = putString(this.keys, this.top, s);
    this.keys = r.out;
    this.top = r.end;
  }

  /**
   * entryOf() from a line's picked fields (json-pick.ts); false (nothing done) where JSON.parse
   * must decide: an escaped string, a number that is not a plain whole one, an array where an
   * object is looked for.
   */
  private picked(b: Buffer): boolean {
    const kind = picker.kind;
    F.unsure = false;
    let rec: Rec = TOP;
    let ok = usable(kind, rec);
    if (ok === undefined) return false;
    if (!ok) {
      // a subagent's response inside a progress record: data.message.message.usage
      if (kind[TOP.data.$] !== K.obj) return true; // skip
      const inner = kind[TOP.data.message.$];
      if (inner === K.arr) return false;
      if (inner !== K.obj) return true;
      rec = TOP.data.message;
      ok = usable(kind, rec);
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
    // the model (made below, where it is kept) and the ids: escaped ones go the slow way; plain
    // ones are their own bytes (ASCII)
    if (kind[m.model] === K.strX) return false;
    if (kind[m.id] === K.strX || kind[rec.requestId] === K.strX || kind[rec.sessionId] === K.strX)
      return false;
    if (F.unsure) return false;
    const stats = this.stats;
    if (input === undefined || output === undefined || Number.isNaN(ms)) {
      stats.badLines++;
      return true;
    }
    stats.entries++;
    const sidechain = kind[rec.isSidechain] === K.true;
    const total = input + output + cacheWrite + cachedInput;
    const { start, end } = picker;
    const idLength = kind[m.id] === K.str ? end[m.id]! - start[m.id]! : 0;
    const reqLength = kind[rec.requestId] === K.str ? end[rec.requestId]! - start[rec.requestId]! : 0;
    // the keys, as add() would write them for the same strings
    const at = this.top;
    let type = NO_ID;
    let messageLength = 0;
    if (idLength > 0) {
      if (reqLength > 0) {
        type = sidechain ? SIDE : MAIN;
        this.keys = room(this.keys, at + 3 + idLength + reqLength);
        const k = this.keys;
        k[at] = 0;
        b.copy(k, at + 1, start[m.id]!, end[m.id]!);
        messageLength = 1 + idLength;
        if (type === MAIN) {
          k[at + messageLength] = 0;
          b.copy(k, at + messageLength + 1, start[rec.requestId]!, end[rec.requestId]!);
          this.top = at + messageLength + 1 + reqLength;
        } else this.top = at + messageLength;
      } else {
        type = BY_SESSION;
        const session = F.nonEmpty(b, rec.sessionId) ?? this.job.session;
        this.put([F.nonEmpty(b, m.id), session].join("\u0000s:"));
      }
    }
    const keyLength = this.top - at;
    const last = this.last;
    if (
      type !== NO_ID &&
      last &&
      last.kind === type &&
      last.entry.sidechain === sidechain &&
      last.keyLength === keyLength &&
      sameBytes(this.keys, last.key, at, keyLength)
    ) {
      // the same response again (the combiner would count a duplicate and keep the better copy)
      this.top = at;
      stats.duplicates++;
      const old = last.entry;
      if (total !== old.total ? total > old.total : output > old.output) {
        old.ms = ms;
        old.model = F.nonEmpty(b, m.model, true);
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
        model: F.nonEmpty(b, m.model, true),
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
      kind: type,
      key: at,
      keyLength,
      message: at,
      messageLength,
    };
    this.records.push(r);
    // a record without a message id counts every line: nothing merges into it
    this.last = type === NO_ID ? undefined : r;
    return true;
  }
}
