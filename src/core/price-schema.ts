/** The shape of price rows, plans and the price table (zod; the JSON Schema of config.yaml uses it). */
import { z } from "zod";

const usd = z.number().min(0);
const rates = {
  input: usd,
  cachedInput: usd,
  /** 5-minute (or only) cache-write price; null: writes cost the input price. */
  cacheWrite: usd.nullish(),
  /** 1-hour cache-write price, where the provider prices it apart. */
  cacheWrite1h: usd.nullish(),
  output: usd,
};
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "is not a date like 2026-10-07");

export const priceRowSchema = z.object({
  model: z.string().min(1),
  provider: z.string().min(1).nullish(),
  /** Other names the CLIs write for the same model (matched after normalizing, see modelKey). */
  aliases: z.array(z.string().min(1)).nullish(),
  /** The first day the row applies (UTC); absent: since always. */
  from: date.nullish(),
  ...rates,
  long: z.object({ above: z.number().int().positive(), ...rates }).nullish(),
  source: z.string().min(1).nullish(),
  checked: date.nullish(),
});
export type PriceRow = z.infer<typeof priceRowSchema>;

export const planSchema = z.object({
  plan: z.string().min(1),
  name: z.string().min(1),
  usdPerMonth: usd,
  /** Harnesses whose usage the plan covers when the CLI runs on the user's own login. */
  covers: z.array(z.string().min(1)),
  source: z.string().min(1).nullish(),
  checked: date.nullish(),
});
export type Plan = z.infer<typeof planSchema>;

export const priceTableSchema = z.object({
  version: z.literal(1),
  currency: z.literal("USD"),
  unit: z.literal("per million tokens"),
  models: z.array(priceRowSchema),
  plans: z.array(planSchema),
});
export type PriceTable = z.infer<typeof priceTableSchema>;
