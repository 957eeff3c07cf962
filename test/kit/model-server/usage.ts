/**
 * Normalized `Usage` -> each protocol's own usage object. Exact, so a test can assert that an
 * adapter's normalized totals equal what the script served.
 *
 * | normalized  | Responses (`response.completed`)         | Chat (last chunk / body)                    | Anthropic Messages                              |
 * | ----------- | ---------------------------------------- | ------------------------------------------- | ----------------------------------------------- |
 * | input       | input_tokens − cached − cache_write      | prompt_tokens − cached − cache_write        | input_tokens (message_start; excludes cache)    |
 * | cachedInput | input_tokens_details.cached_tokens       | prompt_tokens_details.cached_tokens         | cache_read_input_tokens                         |
 * | cacheWrite  | input_tokens_details.cache_write_tokens¹ | prompt_tokens_details.cache_write_tokens¹   | cache_creation_input_tokens                     |
 * | output      | output_tokens (includes reasoning)       | completion_tokens (includes reasoning)      | message_delta usage.output_tokens (final count) |
 * | reasoning   | output_tokens_details.reasoning_tokens   | completion_tokens_details.reasoning_tokens  | — (inside output_tokens, no field)              |
 * | (total)     | total_tokens = input_tokens+output_tokens| total_tokens = prompt+completion            | —                                               |
 *
 * So input_tokens / prompt_tokens = input + cachedInput + cacheWrite (OpenAI counts every prompt
 * token there). ¹ OpenAI has no standard cache-write field; `cache_write_tokens` is the name newer
 * OpenAI-style servers (OpenRouter and others) use. Seen with pi 0.73.1: on Responses it ignores the
 * field (cache writes count as uncached input); on Chat it reads it but, for an OpenRouter quirk,
 * subtracts it from cached_tokens (served 10/20/30 -> pi input 30, cacheRead 0, cacheWrite 30).
 * So script cacheWrite: 0 on the OpenAI routes unless the CLI under test is known to read it.
 * Anthropic's message_start also carries output_tokens = min(1, output), as the real API sends a
 * small count there; clients take the final count from message_delta.
 */
import type { Usage } from "./types.ts";

/** Usage served when a turn names none: distinct per request so per-request vs cumulative shows. */
export function defaultUsage(n: number): Usage {
  return { input: 100 * n, cachedInput: 0, cacheWrite: 0, output: 10 * n, reasoning: 0 };
}

/** The turn's usage with every optional field filled (0). */
export function fullUsage(u: Usage): Required<Usage> {
  return {
    input: u.input,
    cachedInput: u.cachedInput ?? 0,
    cacheWrite: u.cacheWrite ?? 0,
    output: u.output,
    reasoning: u.reasoning ?? 0,
  };
}

export function responsesUsage(usage: Usage) {
  const u = fullUsage(usage);
  const inputTokens = u.input + u.cachedInput + u.cacheWrite;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInput, cache_write_tokens: u.cacheWrite },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: inputTokens + u.output,
  };
}

export function chatUsage(usage: Usage) {
  const u = fullUsage(usage);
  const prompt = u.input + u.cachedInput + u.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: u.cachedInput, cache_write_tokens: u.cacheWrite },
    completion_tokens_details: { reasoning_tokens: u.reasoning },
  };
}

/** The input side, as message_start (and a non-streaming body) carries it. */
export function anthropicUsage(usage: Usage, output: number) {
  const u = fullUsage(usage);
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cachedInput,
    output_tokens: output,
  };
}
