/** Budgets of a run and whether one is used up. Pure. */

export interface Budgets {
  maxCostUSD: number | null;
  maxTokens: number | null;
  maxTimeMs: number | null;
  maxIterations: number;
}

export interface Spent {
  /** Spend beyond declared plans at API prices; null when a model has no price. */
  costUSD: number | null;
  tokens: number;
  /** Time the run has been running (all its processes). */
  activeMs: number;
  iterations: number;
}

export type BudgetName = "max_cost_usd" | "max_tokens" | "max_time" | "max_iterations";

export interface BudgetHit {
  budget: BudgetName;
  /** One line: which budget ended the run, and by how much. */
  text: string;
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const mins = (ms: number) =>
  ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)}h` : `${Math.round(ms / 60_000)}m`;

/** The first budget used up, or null. `during` leaves the iteration count out (a session in flight). */
export function budgetHit(b: Budgets, s: Spent, during = false): BudgetHit | null {
  if (b.maxCostUSD !== null && s.costUSD !== null && s.costUSD >= b.maxCostUSD)
    return { budget: "max_cost_usd", text: `cost budget reached: ${usd(s.costUSD)} of ${usd(b.maxCostUSD)}` };
  if (b.maxTokens !== null && s.tokens >= b.maxTokens)
    return {
      budget: "max_tokens",
      text: `token budget reached: ${s.tokens.toLocaleString("en-US")} of ${b.maxTokens.toLocaleString("en-US")}`,
    };
  if (b.maxTimeMs !== null && s.activeMs >= b.maxTimeMs)
    return { budget: "max_time", text: `time budget reached: ${mins(s.activeMs)} of ${mins(b.maxTimeMs)}` };
  if (!during && s.iterations >= b.maxIterations)
    return {
      budget: "max_iterations",
      text: `iteration limit reached: ${s.iterations} of ${b.maxIterations}`,
    };
  return null;
}
