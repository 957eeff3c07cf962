/**
 * The price table in force: longrun's dated table (prices/prices.json in the package) with the rows
 * and plans of `.longrun/config.yaml` (`cost.prices`, `cost.plans`) on top.
 */
import type { Config } from "../core/config-schema.ts";
import { didYouMean } from "../core/did-you-mean.ts";
import { indexPrices, type Plan, type PriceIndex, type PriceTable } from "../core/prices.ts";
import { UserError } from "../core/user-error.ts";
import { builtin } from "../store/builtin.ts";

const { readFileSync } = builtin("node:fs");

const FILE = new URL("../../prices/prices.json", import.meta.url);

let builtIn: PriceTable | undefined;

/** longrun's own table (its shape is checked by the test suite, not on every run: zod costs ~40 ms to load). */
export function builtInPrices(): PriceTable {
  builtIn ??= JSON.parse(readFileSync(FILE, "utf8")) as PriceTable;
  return builtIn;
}

export interface Prices {
  index: PriceIndex;
  /** Every plan longrun knows (built-in and the config's own). */
  plans: Plan[];
  /** The plans the user declared they pay for. */
  declared: Plan[];
}

/** The table with the config's rows (which win over built-in rows of the same model and date). */
export function pricesFor(config: Config | undefined): Prices {
  const table = builtInPrices();
  const own = config?.cost?.plans ?? [];
  const plans = [...table.plans, ...own.filter((p): p is Plan => typeof p !== "string")];
  const declared = own.map((p) => {
    if (typeof p !== "string") return p;
    const hit = plans.find((x) => x.plan === p);
    if (!hit) {
      const names = plans.map((x) => x.plan);
      throw new UserError(
        `.longrun/config.yaml: cost.plans names \`${p}\`, which is not a known plan${hint(didYouMean(p, names))}; known: ${names.join(", ")}`,
      );
    }
    return hit;
  });
  return { index: indexPrices([...table.models, ...(config?.cost?.prices ?? [])]), plans, declared };
}

/** The declared plan that covers usage of `harness` on the user's own login, if any. */
export function coveringPlan(prices: Prices, harness: string | null | undefined): Plan | undefined {
  return harness ? prices.declared.find((p) => p.covers.includes(harness)) : undefined;
}

const hint = (name: string | undefined) => (name ? ` (did you mean \`${name}\`?)` : "");
