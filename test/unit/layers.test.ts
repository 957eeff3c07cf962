// The layer rule lives in biome.json (noRestrictedImports per src/ folder). This test keeps it complete:
// every folder under src/ must have its override, and each override must forbid exactly the folders above it.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const LAYERS = [
  ["core"],
  ["store", "exec", "git"],
  ["harness"],
  ["cost", "review", "evolve", "evals", "skills", "safety"],
  ["loop"],
  ["cli", "dash"],
];
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));
const biome = JSON.parse(readFileSync(new URL("../../biome.json", import.meta.url), "utf8")) as {
  overrides: {
    includes: string[];
    linter: { rules: { style: { noRestrictedImports: { options: { patterns: { group: string[] }[] } } } } };
  }[];
};

function forbiddenFor(folder: string): string[] {
  const o = biome.overrides.find((x) => x.includes.includes(`src/${folder}/**`));
  return o ? o.linter.rules.style.noRestrictedImports.options.patterns.flatMap((p) => p.group) : [];
}

describe("layer rule", () => {
  const folders = readdirSync(new URL("../../src", import.meta.url), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

  it("knows every folder under src/", () => {
    for (const f of folders)
      expect(rank.has(f), `src/${f}/ needs a layer in biome.json and this test`).toBe(true);
  });

  it.each([...rank.keys()].filter((f) => f !== "cli" && f !== "dash"))(
    "src/%s/ may not import its own layer's siblings or anything above",
    (f) => {
      const expected = [...rank.keys()]
        .filter((t) => t !== f && rank.get(t)! >= rank.get(f)!)
        .map((t) => `**/${t}/**`);
      expect(forbiddenFor(f).sort()).toEqual(expected.sort());
    },
  );

  it("keeps core/ free of I/O modules", () => {
    const o = biome.overrides.find((x) => x.includes.includes("src/core/**"))!;
    const paths = Object.keys(
      (o.linter.rules.style.noRestrictedImports.options as unknown as { paths: Record<string, string> })
        .paths,
    );
    expect(paths).toEqual(expect.arrayContaining(["node:fs", "node:child_process", "node:net"]));
  });
});
