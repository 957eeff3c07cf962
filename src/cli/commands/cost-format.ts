/** How cost commands print money, token counts and a usage book. */
import type { Plan } from "../../core/prices.ts";
import type { Totals, UsageBook } from "../../core/usage-book.ts";
import type { Out } from "../output.ts";

export const money = (usd: number | null): string =>
  usd === null
    ? "n/a"
    : `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const tokens = (n: number): string => n.toLocaleString("en-US");

/** A table: one line per group, then the total; covered usage is marked as not spend. */
export function printBook(out: Out, book: UsageBook, declared: Plan[]): void {
  const rows = book.rows();
  const w = Math.max(5, ...rows.map((r) => r.key.length));
  out.line(
    `${"".padEnd(w)}  ${"input".padStart(13)}  ${"cached".padStart(15)}  ${"cache write".padStart(13)}  ${"output".padStart(13)}  ${"cost".padStart(11)}`,
  );
  const line = (key: string, t: Totals) =>
    out.line(
      `${key.padEnd(w)}  ${tokens(t.input).padStart(13)}  ${tokens(t.cachedInput).padStart(15)}  ${tokens(t.cacheWrite).padStart(13)}  ${tokens(t.output).padStart(13)}  ${money(t.costUSD).padStart(11)}`,
    );
  for (const r of rows) line(r.key, r);
  line("total", book.total);
  if (book.total.coveredUSD > 0) {
    const names = declared
      .filter((p) => book.plans.has(p.plan))
      .map((p) => `${p.name} ($${p.usdPerMonth}/month)`);
    out.line(
      `${money(book.total.coveredUSD)} of it is covered by ${names.join(", ")}: API prices, not spend; spend beyond the plan: ${money(book.total.costUSD === null ? null : book.total.costUSD - book.total.coveredUSD)}`,
    );
  } else out.line("costs are estimates at API prices (prices/prices.json, with cost.prices of the config)");
}
