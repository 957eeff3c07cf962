/**
 * Adds up usage entries into groups and totals with their cost, one entry at a time (so a scan of
 * gigabytes holds only the groups). Each entry is priced at the row in force on its day; per-request
 * entries get long-prompt tiers. An entry of a model with no price makes its group's and the total's
 * cost `null` (never 0) and is counted under `unpriced` by model. Usage a declared flat plan covers is
 * priced too, and that part is also counted in `coveredUSD`: not spend, but what it would cost.
 */
import { costOf, type PriceIndex, type PriceRow, type Tokens } from "./prices.ts";

export interface Totals {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  /** At API prices; null when some of it has no price. */
  costUSD: number | null;
  /** The part of costUSD that declared flat plans cover. */
  coveredUSD: number;
  entries: number;
}

export interface Entry {
  model: string | null;
  /** YYYY-MM-DD (UTC) the usage happened: picks the price row in force. */
  day: string;
  tokens: Tokens;
  reasoning: number;
  /** A single model request (long-prompt tiers apply), or a sum of several. */
  perRequest: boolean;
  /** The declared plan covering this usage, if any. */
  coveredBy?: string | null;
}

export interface Row extends Totals {
  key: string;
  models: string[];
}

export const emptyTotals = (): Totals => ({
  input: 0,
  cachedInput: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
  costUSD: 0,
  coveredUSD: 0,
  entries: 0,
});

export class UsageBook {
  readonly total = emptyTotals();
  /** Tokens of models with no price, by model name. */
  readonly unpriced = new Map<string, number>();
  readonly plans = new Set<string>();
  private readonly groups = new Map<string, Totals & { models: Set<string> }>();
  private readonly priceCache = new Map<string, Map<string, PriceRow | null>>();

  private readonly index: PriceIndex;

  constructor(index: PriceIndex) {
    this.index = index;
  }

  add(key: string, e: Entry): void {
    this.addTokens(key, e.model, e.day, e.tokens, e.reasoning, e.perRequest, e.coveredBy);
  }

  /** add() of an entry's parts (a log scan adds millions: no Entry object for each); returns its cost. */
  addTokens(
    key: string,
    model: string | null,
    day: string,
    t: Tokens,
    reasoning: number,
    perRequest: boolean,
    coveredBy?: string | null,
  ): number | null {
    const size = t.input + t.cachedInput + t.cacheWrite + t.output;
    const row = model ? this.price(model, day) : null;
    const cost = row ? costOf(t, row, perRequest) : size === 0 ? 0 : null;
    if (cost === null) {
      const name = model ?? "(no model named)";
      this.unpriced.set(name, (this.unpriced.get(name) ?? 0) + size);
    }
    if (coveredBy && cost !== null) this.plans.add(coveredBy);
    let g = this.groups.get(key);
    if (!g) {
      g = { ...emptyTotals(), models: new Set() };
      this.groups.set(key, g);
    }
    if (model && size > 0) g.models.add(model);
    addTo(g, t, reasoning, coveredBy, cost);
    addTo(this.total, t, reasoning, coveredBy, cost);
    return cost;
  }

  /** Groups sorted by key. */
  rows(): Row[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, g]) => {
        const { models, ...totals } = g;
        return { key, ...totals, models: [...models].sort() };
      });
  }

  /** By model, then day: two lookups of strings a scan reuses, no key made per entry. */
  private price(model: string, day: string): PriceRow | null {
    let byDay = this.priceCache.get(model);
    if (!byDay) {
      byDay = new Map();
      this.priceCache.set(model, byDay);
    }
    let row = byDay.get(day);
    if (row === undefined) {
      row = this.index.find(model, day) ?? null;
      byDay.set(day, row);
    }
    return row;
  }
}

function addTo(
  t: Totals,
  tokens: Tokens,
  reasoning: number,
  coveredBy: string | null | undefined,
  cost: number | null,
): void {
  t.input += tokens.input;
  t.cachedInput += tokens.cachedInput;
  t.cacheWrite += tokens.cacheWrite;
  t.output += tokens.output;
  t.reasoning += reasoning;
  t.entries++;
  t.costUSD = t.costUSD === null || cost === null ? null : t.costUSD + cost;
  if (coveredBy && cost !== null) t.coveredUSD += cost;
}

/** One line per unpriced model, for warnings. */
export function unpricedWarnings(book: UsageBook): string[] {
  return [...book.unpriced.entries()].map(
    ([model, n]) =>
      `no price for model \`${model}\` (${n.toLocaleString("en-US")} tokens): its cost is unknown; add a row under cost.prices in .longrun/config.yaml`,
  );
}
