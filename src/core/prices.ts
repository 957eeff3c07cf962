/**
 * Prices as data, and the cost math. A price row gives USD per million tokens for one model from a date
 * on; a later row of the same model replaces it from its own date (prices change: cache reads got
 * cheaper, new tiers came). Cache writes are priced by their lifetime where the provider does
 * (Anthropic: 5-minute and 1-hour writes); a row without a cache-write price charges writes at its
 * input price. A row may have a long-prompt tier: a request whose prompt (input + cache reads + cache
 * writes) is above the threshold pays the tier's rates on all its tokens. Flat plans (a subscription
 * at a monthly price) are their own kind: usage they cover is shown at API prices but not as spend.
 */
import type { PriceRow } from "./price-schema.ts";

export type { Plan, PriceRow, PriceTable } from "./price-schema.ts";

/** What a cost is computed from. `cacheWrite1h` is the 1-hour subset of `cacheWrite`. */
export interface Tokens {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  cacheWrite1h?: number;
  output: number;
}

/**
 * The key a model name is matched by: lower case; no provider prefix (`anthropic/`, `openai.`,
 * `us.anthropic.`), no context tag (`[1m]`), no date or version suffix (`-20250929`, `@20250929`,
 * `-2025-09-29`, `-v1:0`, `-latest`), and dots in version numbers as dashes (`4.5` = `4-5`).
 */
export function modelKey(name: string): string {
  let k = name.trim().toLowerCase();
  k = k.replace(/\[[^\]]*\]$/, "");
  k = k.slice(k.lastIndexOf("/") + 1);
  k = k.replace(/^(?:[a-z]{2,4}\.)?(?:anthropic|openai|moonshotai|zai|z-ai)\./, "");
  k = k.replace(/(?:-v\d+)?:\d+$/, "");
  k = k.replace(/(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2}|-latest)$/, "");
  return k.replace(/(\d)\.(\d)/g, "$1-$2");
}

export interface PriceIndex {
  /** The row for `model` on `day` (YYYY-MM-DD; absent: the newest row), or undefined when unpriced. */
  find(model: string, day?: string): PriceRow | undefined;
  rows: PriceRow[];
}

/** Index rows by model key; a later row (in `rows` order) with the same model and date wins. */
export function indexPrices(rows: PriceRow[]): PriceIndex {
  const byKey = new Map<string, PriceRow[]>();
  for (const row of rows)
    for (const name of [row.model, ...(row.aliases ?? [])]) {
      const key = modelKey(name);
      const list = (byKey.get(key) ?? []).filter(
        (r) => (r.from ?? "") !== (row.from ?? "") || r.model !== row.model,
      );
      list.push(row);
      // dates are YYYY-MM-DD (or none): compared as text, without localeCompare (its collator
      // took ~10 ms to start)
      list.sort((a, b) => ((a.from ?? "") < (b.from ?? "") ? -1 : (a.from ?? "") > (b.from ?? "") ? 1 : 0));
      byKey.set(key, list);
    }
  const keys = new Map<string, string>(); // modelKey of the names asked for
  return {
    rows,
    find(model, day) {
      let key = keys.get(model);
      if (key === undefined) {
        key = modelKey(model);
        keys.set(model, key);
      }
      const list = byKey.get(key);
      if (!list) return undefined;
      if (!day) return list.at(-1);
      let hit: PriceRow | undefined;
      for (const r of list) if ((r.from ?? "") <= day) hit = r;
      return hit ?? list[0];
    },
  };
}

/** USD of `t` at `row`'s rates; per request, the long-prompt tier applies above its threshold. */
export function costOf(t: Tokens, row: PriceRow, perRequest = false): number {
  const prompt = t.input + t.cachedInput + t.cacheWrite;
  const r = perRequest && row.long && prompt > row.long.above ? row.long : row;
  const w1h = Math.min(t.cacheWrite1h ?? 0, t.cacheWrite);
  const w5m = r.cacheWrite ?? r.input;
  const w1 = r.cacheWrite1h ?? w5m;
  return (
    (t.input * r.input +
      t.cachedInput * r.cachedInput +
      (t.cacheWrite - w1h) * w5m +
      w1h * w1 +
      t.output * r.output) /
    1e6
  );
}

/** Round to cents for display (costs are kept unrounded). */
export const cents = (usdAmount: number) => Math.round(usdAmount * 100) / 100;
