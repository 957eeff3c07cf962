/**
 * OpenCode's storage: the SQLite database `<data dir>/opencode.db` (table `message`, one JSON
 * `data` per message; OpenCode 1.2 and later) and the JSON files of older versions
 * (`storage/message/**\/*.json`); the data dir is OPENCODE_DATA_DIR, else
 * `${XDG_DATA_HOME:-~/.local/share}/opencode`. A message's `tokens` are one step's usage: `input`
 * without cache reads and writes, `output` WITHOUT reasoning (longrun's output adds it). A message is
 * counted once by its id (the database wins over an old file of the same id).
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../core/user-error.ts";
import { filesUnder, home, isDir, pathList } from "./files.ts";
import { count, type LogSource, type ScanEntry, type ScanStats } from "./types.ts";

export const opencodeSource: LogSource = {
  name: "opencode",
  roots(pathArg, env) {
    const given = pathArg ?? env.OPENCODE_DATA_DIR;
    const dirs =
      given !== undefined
        ? pathList(given, env)
        : [path.join(env.XDG_DATA_HOME || path.join(home(env), ".local", "share"), "opencode")];
    const found = dirs.filter(isDir);
    if (!found.length)
      throw new UserError(
        `cost scan: no OpenCode data in ${dirs.join(", ") || given} (point --path or OPENCODE_DATA_DIR at OpenCode's data folder, the one that holds opencode.db)`,
      );
    return found;
  },

  async scan(roots, emit, stats) {
    const seen = new Set<string>();
    const take = (id: string | null, session: string, data: unknown) => {
      stats.entries++;
      const e = entryOf(data, session);
      if (e === "bad") return void stats.badLines++;
      if (e === "skip") return;
      if (id) {
        if (seen.has(id)) return void stats.duplicates++;
        seen.add(id);
      }
      emit(e);
    };
    for (const root of roots) {
      const db = databaseOf(root);
      if (db) await readDatabase(db, take, stats);
      for (const file of await filesUnder(path.join(root, "storage", "message"), ".json")) {
        stats.files++;
        let text: string;
        try {
          text = await readFile(file, "utf8");
        } catch {
          stats.unreadable.push(file);
          continue;
        }
        stats.bytes += text.length;
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(text) as Record<string, unknown>;
        } catch {
          stats.badLines++;
          continue;
        }
        take(
          typeof data.id === "string" ? data.id : null,
          String(data.sessionID ?? path.basename(path.dirname(file))),
          data,
        );
      }
    }
  },
};

/** opencode.db, else the first channel database (opencode-beta.db, ...). */
function databaseOf(root: string): string | undefined {
  if (existsSync(path.join(root, "opencode.db"))) return path.join(root, "opencode.db");
  const channel = readdirSync(root)
    .filter((f) => /^opencode-[\w-]+\.db$/.test(f))
    .sort()[0];
  return channel ? path.join(root, channel) : undefined;
}

async function readDatabase(
  file: string,
  take: (id: string | null, session: string, data: unknown) => void,
  stats: ScanStats,
): Promise<void> {
  // node:sqlite is built in from Node 22.13 (no native dependency); loaded only for OpenCode
  const { DatabaseSync } = await import("node:sqlite").catch(() => {
    throw new UserError(
      `cost scan: reading ${file} needs Node.js 22.13 or newer (node:sqlite); this is ${process.version}`,
    );
  });
  let db: InstanceType<typeof DatabaseSync>;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (err) {
    if (/unable to open/.test((err as Error).message)) return; // no database here
    throw new UserError(`cost scan: cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    stats.files++;
    for (const row of db.prepare("SELECT id, session_id, data FROM message").iterate() as Iterable<{
      id: string;
      session_id: string;
      data: string;
    }>) {
      stats.bytes += row.data.length;
      let data: unknown;
      try {
        data = JSON.parse(row.data);
      } catch {
        stats.badLines++;
        continue;
      }
      take(row.id, row.session_id, data);
    }
  } catch (err) {
    throw new UserError(`cost scan: cannot read ${file}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function entryOf(data: unknown, session: string): ScanEntry | "bad" | "skip" {
  if (!data || typeof data !== "object") return "bad";
  const d = data as Record<string, unknown>;
  const t = d.tokens as
    | { input?: unknown; output?: unknown; reasoning?: unknown; cache?: { read?: unknown; write?: unknown } }
    | undefined;
  if (!t || typeof t !== "object") return "skip"; // a user message
  const input = count(t.input) ?? 0;
  const output = count(t.output) ?? 0;
  const reasoning = count(t.reasoning) ?? 0;
  const cachedInput = count(t.cache?.read) ?? 0;
  const cacheWrite = count(t.cache?.write) ?? 0;
  if (input + output + reasoning + cachedInput + cacheWrite === 0) return "skip";
  const created = count((d.time as { created?: unknown } | undefined)?.created);
  if (created === undefined) return "bad";
  const model = typeof d.modelID === "string" && d.modelID ? d.modelID : null;
  const cwd = (d.path as { cwd?: unknown } | undefined)?.cwd;
  return {
    ms: created,
    model,
    session,
    project: typeof cwd === "string" ? cwd : "(no project)",
    input,
    cachedInput,
    cacheWrite,
    cacheWrite1h: 0,
    output: output + reasoning,
    reasoning,
  };
}
