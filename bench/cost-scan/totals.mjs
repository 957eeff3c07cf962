/**
 * Token totals of both tools in one shape ({input, cachedInput, cacheWrite, output, reasoning}) and their
 * comparison. ccusage 20.0.24's JSON `totals` (observed on the generated logs and on logs of the real CLIs):
 *
 * | ours        | ccusage `claude daily --json`     | ccusage `codex daily --json`                   |
 * | ----------- | --------------------------------- | ---------------------------------------------- |
 * | input       | inputTokens (input_tokens)        | inputTokens = input_tokens - cached - writes   |
 * | cachedInput | cacheReadTokens                   | cacheReadTokens (cached_input_tokens)          |
 * | cacheWrite  | cacheCreationTokens (5m + 1h)     | cacheCreationTokens (cache_write_input_tokens) |
 * | output      | outputTokens (thinking included)  | outputTokens (reasoning included)              |
 * | reasoning   | — (no field: not compared)        | reasoningOutputTokens (part of outputTokens)   |
 * | costUSD     | totalCost                         | costUSD                                        |
 *
 * totalTokens (= inputTokens + cacheReadTokens + cacheCreationTokens + outputTokens, for both) is not
 * compared.
 */
export const FIELDS = ["input", "cachedInput", "cacheWrite", "output", "reasoning"];

/** ccusage's `totals` in our terms; reasoning is null for Claude (ccusage reports none). */
export function fromCcusage(json, kind) {
  const t = json?.totals;
  if (!t) return null;
  return {
    input: t.inputTokens,
    cachedInput: t.cacheReadTokens,
    cacheWrite: t.cacheCreationTokens,
    output: t.outputTokens,
    reasoning: kind === "codex" ? t.reasoningOutputTokens : null,
    costUSD: t.totalCost ?? t.costUSD ?? null,
  };
}

/** longrun's `cost scan --json` totals (already in our terms). */
export function fromLongrun(json) {
  const t = json?.totals;
  if (!t) return null;
  return {
    ...Object.fromEntries(FIELDS.map((k) => [k, t[k]])),
    costUSD: t.costUSD ?? null,
  };
}

/** Whether `a` and `b` agree on every field both report; `diffs` lists the others as [a, b]. */
export function compare(a, b) {
  if (!a || !b) return { same: null, diffs: {} };
  const diffs = {};
  for (const k of FIELDS)
    if (a[k] !== null && b[k] !== null && a[k] !== undefined && b[k] !== undefined && a[k] !== b[k])
      diffs[k] = [a[k], b[k]];
  return { same: Object.keys(diffs).length === 0, diffs };
}

/** Parse a command's stdout as JSON, or null. */
export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
