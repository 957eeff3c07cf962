/** .longrun/config.yaml: its shape (zod, also the JSON Schema) and its validation. */
import { z } from "zod";
import type { PathDiagnostic } from "./diagnostic.ts";
import { parseDuration } from "./duration.ts";
import { NOTIFY_EVENTS } from "./loop-events.ts";
import { planSchema, priceRowSchema } from "./price-schema.ts";
import { issueToDiagnostic, kindOf, unknownKeyDiagnostic } from "./schema-issues.ts";
import { showPath } from "./yaml-read.ts";

export const HARNESSES = ["codex", "claude", "opencode", "pi", "command"] as const;

const duration = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: "is not a duration",
  params: { hint: "write it like 90s, 30m, 8h or 1h30m" },
});
const commands = z.array(z.string().min(1, "a command may not be empty"));

export const configSchema = z.object({
  harness: z
    .object({
      name: z.enum(HARNESSES).nullish(),
      model: z.string().nullish(),
      command: z.string().nullish(),
      base_url: z.string().nullish(),
      api_key_env: z.string().nullish(),
      timeout: duration.nullish(),
      idle_timeout: duration.nullish(),
    })
    .nullish(),
  verify: z
    .object({
      fast: commands.nullish(),
      full: commands.nullish(),
      timeout: duration.nullish(),
    })
    .nullish(),
  loop: z
    .object({
      max_attempts: z.number().int().min(1).nullish(),
      max_iterations: z.number().int().min(1).nullish(),
      session: z.enum(["fresh", "continue"]).nullish(),
      /** A session whose journaled output passes this many MB is stopped (an agent flooding output). */
      max_output_mb: z.number().positive().nullish(),
    })
    .nullish(),
  budgets: z
    .object({
      max_cost_usd: z.number().positive().nullish(),
      max_tokens: z.number().int().positive().nullish(),
      max_time: duration.nullish(),
    })
    .nullish(),
  notify: z
    .object({
      /** Run with `sh -c`, the event as JSON on stdin. */
      command: z.string().min(1, "a command may not be empty").nullish(),
      /** POST the event as JSON to this URL. */
      webhook: z
        .string()
        .refine((s) => /^https?:\/\/[^\s/]+/.test(s), {
          message: "is not an http(s) URL",
          params: { hint: "write it like https://hooks.example.com/longrun" },
        })
        .nullish(),
      events: z.array(z.enum(NOTIFY_EVENTS)).nullish(),
    })
    .nullish(),
  cost: z
    .object({
      /** Flat plans the user pays for: names from the price table, or plan rows of their own. */
      plans: z.array(z.union([z.string().min(1), planSchema])).nullish(),
      /** Rows that add to or override the built-in price table (same fields as prices/prices.json). */
      prices: z.array(priceRowSchema).nullish(),
    })
    .nullish(),
});

export type Config = z.infer<typeof configSchema>;

/** Validate parsed config data. An empty file is a valid, all-defaults config. */
export function validateConfig(data: unknown): { value: Config | undefined; diagnostics: PathDiagnostic[] } {
  if (data === null || data === undefined) return { value: {}, diagnostics: [] };
  if (typeof data !== "object" || Array.isArray(data))
    return {
      value: undefined,
      diagnostics: [
        {
          path: [],
          severity: "error",
          code: "not-a-mapping",
          message: `config must be a mapping, not ${kindOf(data)}`,
          hint: "see the template from `longrun init`",
        },
      ],
    };
  const diagnostics: PathDiagnostic[] = [];
  const parsed = configSchema.safeParse(data);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") continue; // reported below as warnings
      diagnostics.push(
        issueToDiagnostic(
          issue,
          data,
          (p) => `\`${showPath(p.filter((x): x is string | number => typeof x !== "symbol"))}\``,
        ),
      );
    }
  unknownConfigKeys(data as Record<string, unknown>, [], configSchema, diagnostics);
  const ok = !diagnostics.some((d) => d.severity === "error");
  return { value: ok ? (parsed.data ?? (data as Config)) : undefined, diagnostics };
}

function unknownConfigKeys(
  obj: Record<string, unknown>,
  path: string[],
  schema: z.ZodObject,
  out: PathDiagnostic[],
): void {
  const known = Object.keys(schema.shape);
  for (const [key, value] of Object.entries(obj)) {
    const sub = schema.shape[key];
    if (!sub) {
      out.push(unknownKeyDiagnostic(path, key, known, path.length ? `\`${showPath(path)}\`` : "the config"));
      continue;
    }
    const inner = unwrap(sub);
    if (
      inner instanceof Object &&
      "shape" in inner &&
      value &&
      typeof value === "object" &&
      !Array.isArray(value)
    )
      unknownConfigKeys(value as Record<string, unknown>, [...path, key], inner as z.ZodObject, out);
  }
}

function unwrap(t: unknown): unknown {
  let cur = t as { unwrap?: () => unknown };
  while (cur && typeof cur.unwrap === "function") cur = cur.unwrap() as { unwrap?: () => unknown };
  return cur;
}
