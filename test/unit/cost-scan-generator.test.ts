// bench/cost-scan/generate.mjs: deterministic, in the layout ccusage reads, and holding the cases a usage
// scanner must get right (the bench's numbers mean little if the data lacks them).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NODE = path.join(ROOT, "node_modules", ".bin", "node");
const GENERATE = path.join(ROOT, "bench", "cost-scan", "generate.mjs");

// biome-ignore lint/suspicious/noExplicitAny: lines of several log formats, read field by field
type Obj = Record<string, any>;

function generate(out: string, seed: number): void {
  execFileSync(NODE, [GENERATE, "--from", "both", "--mb", "1", "--out", out, "--seed", String(seed)], {
    stdio: "pipe",
  });
}

/** Every file under `dir` (relative path -> sha256 of its bytes). */
function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (d.isFile()) {
      const file = path.join(d.parentPath, d.name);
      out[path.relative(dir, file)] = createHash("sha256").update(readFileSync(file)).digest("hex");
    }
  return out;
}

/** The JSONL files under `dir`, each as its parsed lines (null for a line that is not JSON). */
function logs(dir: string): Map<string, (Obj | null)[]> {
  const out = new Map<string, (Obj | null)[]>();
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (d.isFile() && d.name.endsWith(".jsonl")) {
      const file = path.join(d.parentPath, d.name);
      const lines = readFileSync(file, "utf8").split("\n");
      if (lines.at(-1) === "") lines.pop();
      out.set(
        path.relative(dir, file),
        lines.map((l) => {
          try {
            return JSON.parse(l) as Obj;
          } catch {
            return null;
          }
        }),
      );
    }
  return out;
}

/** ccusage's native binary (a devDependency), if installed for this platform. */
function ccusageBin(): string | undefined {
  try {
    const require = createRequire(path.join(ROOT, "package.json"));
    const pkg = require.resolve(`@ccusage/ccusage-${process.platform}-${process.arch}/package.json`);
    const bin = path.join(path.dirname(pkg), "bin", "ccusage");
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

let a: string;
beforeAll(() => {
  a = mkdtempSync(path.join(os.tmpdir(), "longrun-gen-a-"));
  generate(a, 7);
});

describe("cost-scan generator", () => {
  test("the same seed gives the same bytes; another seed other bytes", () => {
    const b = mkdtempSync(path.join(os.tmpdir(), "longrun-gen-b-"));
    const c = mkdtempSync(path.join(os.tmpdir(), "longrun-gen-c-"));
    generate(b, 7);
    generate(c, 8);
    const da = digest(a);
    expect(Object.keys(da).length).toBeGreaterThan(10);
    expect(digest(b)).toEqual(da);
    expect(digest(c)).not.toEqual(da);
    const bytes = JSON.parse(readFileSync(path.join(a, "claude", "bench-manifest.json"), "utf8")).bytes;
    expect(bytes).toBeGreaterThan(1e6);
    expect(bytes).toBeLessThan(3e6);
  });

  test("Claude logs: split messages, growing copies, cross-file copies, subagents, 1h cache, bad lines", () => {
    const files = logs(path.join(a, "claude"));
    expect([...files.keys()].every((f) => f.startsWith("projects/"))).toBe(true);
    const seen = new Map<string, { file: string; outputs: number[] }>();
    const crossFile = new Set<string>();
    let truncated = 0;
    let oneHour = 0;
    let summaries = 0;
    let synthetic = 0;
    for (const [file, lines] of files)
      for (const o of lines) {
        if (o === null) truncated++;
        else if (o.type === "summary") summaries++;
        else if (o.type === "assistant" && o.message.model === "<synthetic>") synthetic++;
        else if (o.type === "assistant") {
          const key = `${o.message.id}:${o.requestId}`;
          const at = seen.get(key) ?? { file, outputs: [] };
          if (at.file !== file) crossFile.add(key);
          else at.outputs.push(o.message.usage.output_tokens);
          seen.set(key, at);
          if ((o.message.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0) > 0) oneHour++;
        }
      }
    const split = [...seen.values()].filter((s) => s.outputs.length > 1);
    expect(split.length).toBeGreaterThan(5);
    expect(split.some((s) => s.outputs[0]! < s.outputs.at(-1)!)).toBe(true); // output_tokens growing
    expect(crossFile.size).toBeGreaterThan(0);
    expect([...files.keys()].some((f) => /\/subagents\/agent-a[0-9a-f]{16}\.jsonl$/.test(f))).toBe(true);
    expect([...files.keys()].some((f) => /^projects\/[^/]+\/agent-[0-9a-f]{8}\.jsonl$/.test(f))).toBe(true);
    const sidechain = [...files.entries()].filter(([f]) => /agent-/.test(f)).flatMap(([, l]) => l);
    expect(sidechain.every((o) => o === null || o.isSidechain === true)).toBe(true);
    expect(oneHour).toBeGreaterThan(0);
    expect(summaries).toBeGreaterThan(0);
    expect(synthetic).toBeGreaterThan(0);
    expect(truncated).toBeGreaterThan(0);
    const text = [...files.keys()].map((f) => readFileSync(path.join(a, "claude", f), "utf8")).join("");
    expect(text).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/); // CJK
    expect(text).toMatch(/\p{Extended_Pictographic}/u); // emoji
  });

  test("Codex rollouts: repeated snapshots, totals-only files, usage records, turn_context models", () => {
    const files = logs(path.join(a, "codex"));
    expect([...files.keys()].every((f) => /^sessions\/\d{4}\/\d\d\/\d\d\/rollout-.+\.jsonl$/.test(f))).toBe(
      true,
    );
    let repeated = 0;
    let totalsOnly = 0;
    let records = 0;
    const models = new Set<string>();
    for (const lines of files.values()) {
      let previous: string | undefined;
      let onlyTotals = true;
      let counts = 0;
      for (const o of lines) {
        if (o?.type === "turn_context") models.add(o.payload.model);
        if (o?.type === "token_usage_record") records++;
        if (o?.type !== "event_msg" || o.payload.type !== "token_count" || !o.payload.info) continue;
        counts++;
        const total = JSON.stringify(o.payload.info.total_token_usage);
        if (total === previous) repeated++;
        previous = total;
        if (o.payload.info.last_token_usage) onlyTotals = false;
      }
      if (counts > 0 && onlyTotals) totalsOnly++;
    }
    expect(repeated).toBeGreaterThan(0);
    expect(totalsOnly).toBeGreaterThan(0);
    expect(records).toBeGreaterThan(0);
    expect(models.size).toBeGreaterThan(1);
  });

  const bin = ccusageBin();
  test.skipIf(!bin)("ccusage finds every request and reports the generator's totals", () => {
    const env = {
      PATH: process.env.PATH,
      HOME: mkdtempSync(path.join(os.tmpdir(), "longrun-gen-home-")),
      TZ: "UTC",
    };
    for (const kind of ["claude", "codex"] as const) {
      const dir = path.join(a, kind);
      const manifest = JSON.parse(readFileSync(path.join(dir, "bench-manifest.json"), "utf8"));
      const out = execFileSync(bin!, [kind, "daily", "--json", "--offline"], {
        env: { ...env, [kind === "claude" ? "CLAUDE_CONFIG_DIR" : "CODEX_HOME"]: dir },
        encoding: "utf8",
      });
      const t = JSON.parse(out).totals;
      expect(manifest.totals.output).toBeGreaterThan(0);
      expect({
        input: t.inputTokens,
        cachedInput: t.cacheReadTokens,
        cacheWrite: t.cacheCreationTokens,
        output: t.outputTokens,
        reasoning: t.reasoningOutputTokens ?? 0,
      }).toEqual(manifest.totals);
    }
  });
});
