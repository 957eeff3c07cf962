/** Answer one model request with its turn: a full answer, an HTTP error, or a broken stream. */
import type { ServerResponse } from "node:http";
import { openSse, writeFrames } from "./sse.ts";
import type { FaultTurn, Turn, TurnContext, Wire } from "./types.ts";

/** The line the malformed fault sends in place of an event: no client can parse it. */
export const MALFORMED_LINE = 'data: {"type": this is not JSON\n\n';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Serve `turn` as `wire` speaks it, streamed (SSE) or as one JSON body. */
export async function serveTurn(
  res: ServerResponse,
  wire: Wire,
  turn: Turn,
  ctx: TurnContext,
  stream: boolean,
  headers: Record<string, string>,
): Promise<void> {
  if ("fault" in turn) return serveFault(res, wire, turn, ctx, stream, headers);
  if (turn.delayMs) await new Promise((resolve) => setTimeout(resolve, turn.delayMs));
  if (!stream) return sendJson(res, 200, wire.json(turn, ctx), headers);
  openSse(res, headers);
  await writeFrames(res, wire.stream(turn, ctx));
  res.end();
}

async function serveFault(
  res: ServerResponse,
  wire: Wire,
  turn: FaultTurn,
  ctx: TurnContext,
  stream: boolean,
  headers: Record<string, string>,
): Promise<void> {
  switch (turn.fault) {
    case "http500":
      return sendJson(res, 500, wire.error(500, turn.message ?? "mock server error"), headers);
    case "http404": {
      const message = turn.message ?? `The model \`${ctx.model}\` does not exist`;
      return sendJson(res, 404, wire.error(404, message), headers);
    }
    case "http429": {
      const retry = { ...headers, "retry-after": String(turn.retryAfterSeconds) };
      return sendJson(res, 429, wire.error(429, "Rate limit reached (mock)"), retry);
    }
  }
  const text = turn.message ?? "partial";
  if (stream) {
    openSse(res, headers);
    await writeFrames(res, wire.partial(text, ctx));
  } else {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    res.flushHeaders();
    await new Promise<void>((resolve) =>
      res.write(`{"id": "partial", "text": ${JSON.stringify(text)}`, () => resolve()),
    );
  }
  if (turn.fault === "drop") res.destroy();
  else if (turn.fault === "malformed") res.end(stream ? MALFORMED_LINE : ", this is not JSON");
  // stall: nothing more; close() destroys the socket.
}
