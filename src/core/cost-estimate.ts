/** `longrun cost estimate`: what one workload costs on every priced model and plan, cheapest first. */
import { costOf, modelKey, type Plan, type PriceIndex, type PriceRow, type Tokens } from "./prices.ts";

export interface EstimateRow {
  kind: "model" | "plan";
  /** Model or plan id. */
  name: string;
  provider: string | null;
  costUSD: number;
  /** Per kind of token (models only). */
  parts: { input: number; cachedInput: number; cacheWrite: number; output: number } | null;
  /** Where the price comes from and when it was read. */
  source: string | null;
  checked: string | null;
}

/** One row per model (its row in force on `day`) and per plan, sorted by cost then name. */
export function estimate(
  tokens: Tokens,
  index: PriceIndex,
  plans: Plan[],
  opts: { day: string; models?: string[] },
): { rows: EstimateRow[]; unknown: string[] } {
  const wanted = opts.models?.map((m) => modelKey(index.find(m)?.model ?? m));
  const seen = new Set<string>();
  const rows: EstimateRow[] = [];
  for (const r of index.rows) {
    const key = modelKey(r.model);
    if (seen.has(key) || (wanted && !wanted.includes(key))) continue;
    seen.add(key);
    const row = index.find(r.model, opts.day) as PriceRow;
    const part = (t: Partial<Tokens>) =>
      costOf({ input: 0, cachedInput: 0, cacheWrite: 0, output: 0, ...t }, row);
    rows.push({
      kind: "model",
      name: row.model,
      provider: row.provider ?? null,
      costUSD: costOf(tokens, row),
      parts: {
        input: part({ input: tokens.input }),
        cachedInput: part({ cachedInput: tokens.cachedInput }),
        cacheWrite: part({ cacheWrite: tokens.cacheWrite, cacheWrite1h: tokens.cacheWrite1h ?? 0 }),
        output: part({ output: tokens.output }),
      },
      source: row.source ?? null,
      checked: row.checked ?? null,
    });
  }
  if (!wanted)
    for (const p of plans)
      rows.push({
        kind: "plan",
        name: p.plan,
        provider: null,
        costUSD: p.usdPerMonth,
        parts: null,
        source: p.source ?? null,
        checked: p.checked ?? null,
      });
  rows.sort((a, b) => a.costUSD - b.costUSD || a.name.localeCompare(b.name));
  const unknown = (opts.models ?? []).filter((m) => !index.find(m));
  return { rows, unknown };
}
