/**
 * Scan the change since a checkpoint for secrets with secretlint's recommended rules (AWS, GCP, GitHub,
 * npm, Slack, OpenAI, Anthropic, private keys, basic-auth URLs, …). Whole files are scanned, so a key
 * split over lines is still seen, and a finding counts when it touches a line the change added.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import type { SecretFinding } from "../core/loop-events.ts";
import { addedLines, topLevel } from "../git/git.ts";

/** Files bigger than this are not scanned (generated data, not code). */
const MAX_BYTES = 2 * 1024 * 1024;

const CONFIG = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

/** Findings on lines added since `base` (paths relative to the repo root), in file order. */
export async function scanChange(dir: string, base: string): Promise<SecretFinding[]> {
  const root = await topLevel(dir);
  const added = await addedLines(dir, base);
  const out: SecretFinding[] = [];
  for (const [file, lines] of added) {
    const full = path.join(root, file);
    let content: string;
    try {
      if (statSync(full).size > MAX_BYTES) continue;
      content = readFileSync(full, "utf8");
    } catch {
      continue; // deleted or unreadable
    }
    if (content.includes("\0")) continue; // binary
    const touched = new Set(lines);
    const r = await lintSource({
      source: { filePath: full, content, ext: path.extname(file), contentType: "text" },
      options: { config: CONFIG, maskSecrets: true },
    });
    for (const m of r.messages) {
      let hit = false;
      for (let l = m.loc.start.line; l <= m.loc.end.line && !hit; l++) hit = touched.has(l);
      if (hit)
        out.push({
          file,
          line: m.loc.start.line,
          rule: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, ""),
          message: m.message,
        });
    }
  }
  return out;
}
