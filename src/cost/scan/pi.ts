/**
 * Pi's session logs: `<agent dir>/sessions/<project>/<time>_<session>.jsonl`; the agent dir is
 * PI_CODING_AGENT_DIR (Pi's own variable), else PI_AGENT_DIR, else ~/.pi/agent. An assistant
 * `message` line carries the usage of one request (`input` without cache reads, `output` with
 * reasoning). A line repeated in the same project and session counts once; a fork copies its
 * parent's messages with their ids, and a message id already counted in the project is not counted
 * again.
 */
import path from "node:path";
import { UserError } from "../../core/user-error.ts";
import { filesUnder, home, isDir, pathList, under } from "./files.ts";
import { decodeLine, scanFile } from "./lines.ts";
import { count, type FileJob, type LogSource, type ScanEntry } from "./types.ts";

export const piSource: LogSource = {
  name: "pi",
  roots(pathArg, env) {
    const given = pathArg ?? env.PI_CODING_AGENT_DIR ?? env.PI_AGENT_DIR;
    const dirs = given !== undefined ? pathList(given, env) : [path.join(home(env), ".pi", "agent")];
    const found = dirs.filter(isDir);
    if (!found.length)
      throw new UserError(
        `cost scan: no Pi logs in ${dirs.join(", ") || given} (point --path or PI_CODING_AGENT_DIR at Pi's agent folder, the one that holds sessions/)`,
      );
    return found.map((d) => (isDir(path.join(d, "sessions")) ? path.join(d, "sessions") : d));
  },

  async jobs(roots) {
    const jobs: FileJob[] = [];
    for (const root of roots)
      for (const file of await filesUnder(root, ".jsonl")) {
        const rel = under(root, file);
        const project = path.dirname(rel) === "." ? "(no project)" : (rel.split(path.sep)[0] ?? "");
        const stem = path.basename(file, ".jsonl");
        const session = stem.includes("_") ? stem.slice(stem.indexOf("_") + 1) : stem;
        jobs.push({ file, session, project });
      }
    return jobs;
  },

  async read(job, stats) {
    const out: { key: string; entry: ScanEntry }[] = [];
    const { session, project } = job;
    await scanFile(
      job.file,
      ['"usage"'],
      (b, s, e) => {
        const line = decodeLine(b, s, e);
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line) as Record<string, unknown>;
        } catch {
          return void stats.badLines++;
        }
        if (o.type !== undefined && o.type !== "message") return;
        const m = o.message as Record<string, unknown> | undefined;
        if (m?.role !== "assistant" || !m.usage || typeof m.usage !== "object") return;
        stats.entries++;
        const u = m.usage as Record<string, unknown>;
        const ms = typeof o.timestamp === "string" ? Date.parse(o.timestamp) : Number.NaN;
        if (Number.isNaN(ms)) return void stats.badLines++;
        const input = count(u.input) ?? 0;
        const output = count(u.output) ?? 0;
        const cachedInput = count(u.cacheRead) ?? 0;
        const cacheWrite = count(u.cacheWrite) ?? 0;
        if (input + output + cachedInput + cacheWrite === 0) return;
        const model = typeof m.model === "string" && m.model ? m.model : null;
        const key =
          typeof o.id === "string"
            ? `${project}\u0000id:${o.id}`
            : `${project}\u0000${session}\u0000${o.timestamp}\u0000${model}\u0000${input},${output},${cacheWrite},${cachedInput}`;
        out.push({
          key,
          entry: {
            ms,
            model,
            session,
            project,
            input,
            cachedInput,
            cacheWrite,
            cacheWrite1h: 0,
            output,
            reasoning: 0,
          },
        });
      },
      stats,
    );
    return out;
  },

  combiner(emit, stats) {
    const seen = new Set<string>();
    return {
      add(_job, value) {
        for (const { key, entry } of value as { key: string; entry: ScanEntry }[]) {
          if (seen.has(key)) stats.duplicates++;
          else {
            seen.add(key);
            emit(entry);
          }
        }
      },
      end() {},
    };
  },
};
