/** The JSON error bodies each API sends with an HTTP error status. */

/** OpenAI (Responses and Chat Completions): `{error:{message,type,param,code}}`. */
export function openAiError(status: number, message: string): unknown {
  let type = "invalid_request_error";
  let code: string | null = null;
  if (status === 404) code = "model_not_found";
  if (status === 429) type = code = "rate_limit_exceeded";
  if (status >= 500) type = "server_error";
  return { error: { message, type, param: null, code } };
}

/** Anthropic Messages: `{type:"error", error:{type,message}}`. */
export function anthropicError(status: number, message: string): unknown {
  let type = "invalid_request_error";
  if (status === 404) type = "not_found_error";
  if (status === 429) type = "rate_limit_error";
  if (status === 529) type = "overloaded_error";
  else if (status >= 500) type = "api_error";
  return { type: "error", error: { type, message } };
}
