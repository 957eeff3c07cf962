/** `longrun cost estimate`: one workload priced on every model and plan. */
import { estimate } from "../../core/cost-estimate.ts";
import { UserError } from "../../core/user-error.ts";
import { pricesFor } from "../../cost/price-table.ts";
import { loadConfig } from "../../store/config-store.ts";
import { int, list, parse, positionals, repoDir, str } from "../args.ts";
import { makeOut } from "../output.ts";
import { tokens as fmtTokens, money } from "./cost-format.ts";

export async function run(argv: string[]): Promise<number> {
  const p = parse(
    argv,
    {
      input: { type: "string" },
      cached: { type: "string" },
      "cache-write": { type: "string" },
      output: { type: "string" },
      reasoning: { type: "string" },
      models: { type: "string", multiple: true },
      date: { type: "string" },
    },
    "cost estimate",
  );
  positionals(p, [], "cost estimate");
  const n = (flag: string) => int(p.values, flag, "cost estimate");
  const input = n("input");
  const output = n("output");
  if (input === undefined && output === undefined && n("cached") === undefined)
    throw new UserError("cost estimate: give the workload: --input N --cached N --output N (tokens)");
  const tokens = {
    input: input ?? 0,
    cachedInput: n("cached") ?? 0,
    cacheWrite: n("cache-write") ?? 0,
    output: output ?? 0,
  };
  const reasoning = n("reasoning") ?? 0;
  if (reasoning > tokens.output)
    throw new UserError(
      `cost estimate: --reasoning ${reasoning} is more than --output ${tokens.output} (output includes reasoning)`,
    );
  const day = str(p.values, "date") ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
    throw new UserError(`cost estimate: --date \`${day}\` is not a date like 2026-11-26`);
  const models = list(p.values, "models").flatMap((m) =>
    m
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );
  const config = await loadConfig(repoDir(p.values));
  const prices = pricesFor(config.value);
  const { rows, unknown } = estimate(tokens, prices.index, prices.plans, {
    day,
    ...(models.length ? { models } : {}),
  });
  if (unknown.length)
    throw new UserError(
      `cost estimate: no price for ${unknown.map((m) => `\`${m}\``).join(", ")} (add a row under cost.prices in .longrun/config.yaml; \`longrun cost estimate --input 1\` lists the priced models)`,
    );
  const out = makeOut(!!p.values.json);
  out.data({ tokens: { ...tokens, reasoning }, date: day, rows });
  out.line(
    `${fmtTokens(tokens.input)} input, ${fmtTokens(tokens.cachedInput)} cached, ${fmtTokens(tokens.cacheWrite)} cache write, ${fmtTokens(tokens.output)} output (prices of ${day})`,
  );
  const width = Math.max(...rows.map((r) => r.name.length), 5);
  for (const r of rows)
    out.line(
      r.kind === "plan"
        ? `${r.name.padEnd(width)}  ${money(r.costUSD).padStart(12)}  flat, per month`
        : `${r.name.padEnd(width)}  ${money(r.costUSD).padStart(12)}  input ${money(r.parts?.input ?? 0)}, cached ${money(r.parts?.cachedInput ?? 0)}, writes ${money(r.parts?.cacheWrite ?? 0)}, output ${money(r.parts?.output ?? 0)}`,
    );
  return 0;
}
