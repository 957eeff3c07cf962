/**
 * Where the cost-scan generator writes and what it knows: buffered JSONL files (several can be open at once:
 * a session and its subagent) and the ground truth of what was written, the token totals a correct scanner
 * must report (each API request counted once, whatever copies of it the logs hold) and counters of every
 * tricky case, for bench-manifest.json.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";

const CHUNK = 1 << 20;

export function ledger() {
  const totals = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
  const byModel = {};
  const days = new Set();
  const counts = { files: 0, lines: 0, bytes: 0, requests: 0 };
  const cases = {};
  const made = new Set();
  return {
    totals,
    byModel,
    counts,
    cases,
    days,
    /** Count one occurrence (or `n`) of a tricky case. */
    note(name, n = 1) {
      cases[name] = (cases[name] ?? 0) + n;
    },
    /** One API request's usage, in normalized terms (input without cache reads or writes; output with reasoning). */
    request(model, u, ms) {
      counts.requests++;
      byModel[model] ??= { requests: 0, input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
      const m = byModel[model];
      m.requests++;
      for (const k of Object.keys(totals)) {
        totals[k] += u[k] ?? 0;
        m[k] += u[k] ?? 0;
      }
      days.add(new Date(ms).toISOString().slice(0, 10));
    },
    /** A JSONL file, written in 1 MB chunks. `line(obj)` writes JSON; `raw(text)` writes text as is. */
    open(file) {
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const fd = openSync(file, "w");
      counts.files++;
      let parts = [];
      let size = 0;
      const flush = () => {
        if (parts.length === 0) return;
        const buf = Buffer.from(parts.join(""), "utf8");
        writeSync(fd, buf);
        counts.bytes += buf.length;
        parts = [];
        size = 0;
      };
      const raw = (text) => {
        parts.push(text);
        size += text.length;
        if (size >= CHUNK) flush();
      };
      return {
        path: file,
        line(obj) {
          const s = JSON.stringify(obj);
          raw(`${s}\n`);
          counts.lines++;
          return s;
        },
        raw,
        close() {
          flush();
          closeSync(fd);
        },
      };
    },
    /** Bytes written so far, the part still in open files' buffers excluded. */
    get bytes() {
      return counts.bytes;
    },
  };
}
