// The fast path of cost scan (fields read from a line's bytes, a response's consecutive lines merged)
// against the slow one (JSON.parse of every line): a byte-order mark before each line sends every line
// the slow way, and the scan must come out the same on random logs with many copies, ties and sidechains.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { pricesFor } from "../../src/cost/price-table.ts";
import { scanLogs } from "../../src/cost/scan/scan.ts";
import { rng } from "../kit/rng.ts";
import { claudeLine, codexMeta, codexTokens, codexTurn, writeLogs } from "../kit/usage-logs.ts";

const slow = (lines: string[]) => lines.map((l) => `\ufeff${l}`);

async function scan(from: "claude" | "codex", root: string, by: "day" | "model" | "session") {
  const r = await scanLogs({ from, path: root, by, env: {}, timeZone: "UTC" }, pricesFor(undefined));
  return { total: r.book.total, rows: r.book.rows(), stats: r.stats };
}

async function same(from: "claude" | "codex", files: Record<string, string[]>) {
  const dir = mkdtempSync(path.join(tmpdir(), "longrun-fast-"));
  const fast = writeLogs(path.join(dir, "fast"), files);
  const slowFiles = Object.fromEntries(Object.entries(files).map(([f, lines]) => [f, slow(lines)]));
  const parsed = writeLogs(path.join(dir, "slow"), slowFiles);
  for (const by of ["day", "model", "session"] as const) {
    const a = await scan(from, fast, by);
    const b = await scan(from, parsed, by);
    expect({ ...a, stats: { ...a.stats, bytes: 0 } }).toEqual({ ...b, stats: { ...b.stats, bytes: 0 } });
  }
}

describe("cost scan: the fast path gives what JSON.parse of every line gives", () => {
  test("claude: random copies of responses over sessions, sidechains and files", async () => {
    const r = rng(1);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const files: Record<string, string[]> = {};
    for (let f = 0; f < 4; f++) {
      const lines: string[] = [];
      for (let i = 0; i < 150; i++) {
        const ids = {
          id: r() < 0.1 ? null : `m${Math.floor(r() * 60)}`,
          req: pick(["r1", "r2", null]),
          session: pick(["s1", "s2"]),
          sidechain: r() < 0.3,
        };
        // runs of one response's lines, as Claude writes its content blocks (copies differ; ties too)
        for (let k = r() < 0.5 ? 3 : 1; k > 0; k--)
          lines.push(
            // now and then a copy the fast path leaves to JSON.parse (a key written with an escape)
            (r() < 0.1 ? (l: string) => l.replace('"requestId":', '"request\\u0049d":') : (l: string) => l)(
              claudeLine({
                ...ids,
                sidechain: r() < 0.15 ? !ids.sidechain : ids.sidechain,
                model: pick(["claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"]),
                input: pick([1, 2]),
                output: pick([3, 4]),
                cacheRead: pick([0, 5]),
                ...(r() < 0.5 ? { cc: { m5: pick([0, 1]), h1: pick([0, 2]) } } : {}),
                ts: `2026-11-${pick([20, 21, 22, 23])}T10:00:0${pick([0, 1, 2])}.000Z`,
              }),
            ),
          );
      }
      files[`projects/-p${f % 2}/s${f}.jsonl`] = lines;
    }
    await same("claude", files);
  });

  test("codex: random snapshots, repeats, forks and copies", async () => {
    const r = rng(2);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const files: Record<string, string[]> = {};
    for (let f = 0; f < 4; f++) {
      const lines = [
        codexMeta(`t${f}`, f === 3 ? { forked_from_id: "t0" } : {}),
        codexTurn(pick(["gpt-5", "gpt-5.2"])),
      ];
      let total = { input: 0, cached: 0, output: 0, reasoning: 0 };
      for (let i = 0; i < 60; i++) {
        const last = {
          input: pick([10, 20]),
          cached: pick([0, 5]),
          output: pick([1, 2]),
          reasoning: pick([0, 1]),
        };
        if (r() < 0.7)
          total = {
            input: total.input + last.input,
            cached: total.cached + last.cached,
            output: total.output + last.output,
            reasoning: total.reasoning + last.reasoning,
          };
        if (r() < 0.1) lines.push(codexTurn(pick(["gpt-5", "gpt-5.2-codex"])));
        lines.push(
          codexTokens(
            `2026-11-20T10:00:${String(i % 60).padStart(2, "0")}.000Z`,
            r() < 0.9 ? total : null,
            r() < 0.8 ? last : null,
          ),
        );
      }
      files[`sessions/2026/11/20/rollout-${f}.jsonl`] = lines;
    }
    await same("codex", files);
  });
});
