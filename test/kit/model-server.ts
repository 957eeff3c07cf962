/**
 * A scripted model server for tests: real HTTP on 127.0.0.1, no keys, no network. Agent CLIs
 * (codex, claude, opencode, pi) point their base URL here; each model request consumes the next
 * scripted `Turn` and is answered in the wire protocol of its route:
 *
 * | route (with or without `/v1`)  | protocol    | used by                                  |
 * | ------------------------------ | ----------- | ---------------------------------------- |
 * | POST /v1/responses             | "responses" | codex, pi `openai-responses`             |
 * | POST /v1/chat/completions      | "chat"      | opencode, pi `openai-completions`        |
 * | POST /v1/messages              | "anthropic" | claude, pi `anthropic-messages`          |
 * | GET /v1/models                 | "other"     | model listing: "mock-model" + names seen |
 * | POST /v1/messages/count_tokens | "other"     | `{input_tokens}` (an estimate)           |
 * | HEAD / , GET /                 | "other"     | 200 (Claude's preflight)                 |
 * | anything else                  | "other"     | 404 JSON                                 |
 *
 * Usage mapping per protocol: model-server/usage.ts. Faults: model-server/serve.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { anthropic } from "./model-server/anthropic.ts";
import { chat } from "./model-server/chat.ts";
import { toolNames } from "./model-server/inspect.ts";
import { responses } from "./model-server/responses.ts";
import { sendJson, serveTurn } from "./model-server/serve.ts";
import type { ModelServer, Protocol, RecordedRequest, Script, Turn, Wire } from "./model-server/types.ts";
import { defaultUsage } from "./model-server/usage.ts";

export {
  isTitleRequest,
  lastEntryKind,
  lastUserText,
  SHELL_TOOLS,
  shellCall,
  toolNames,
} from "./model-server/inspect.ts";
export type * from "./model-server/types.ts";

/** What the server answers once the script has run out. */
export const DONE_TURN: Turn = { text: "done" };

const WIRES = new Map<string, [Exclude<Protocol, "other">, Wire]>([
  ["/responses", ["responses", responses]],
  ["/chat/completions", ["chat", chat]],
  ["/messages", ["anthropic", anthropic]],
]);

/** Start a server on 127.0.0.1 (a free port) that answers model requests from `script`. */
export async function startModelServer(script: Script): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const models = new Set<string>(["mock-model"]);
  let turns = 0;

  const pick = (rec: RecordedRequest, index: number): Turn => {
    if (Array.isArray(script)) return script[index] ?? DONE_TURN;
    try {
      return script(rec, index);
    } catch (err) {
      return { fault: "http500", message: `model-server script failed: ${(err as Error).message}` };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rec = record(req, await readBody(req));
    requests.push(rec);
    if (rec.model) models.add(rec.model);
    const route = new URL(rec.path, "http://x").pathname.replace(/^\/v1(?=\/|$)/, "") || "/";
    const wire = rec.method === "POST" ? WIRES.get(route) : undefined;
    if (!wire) return answerOther(rec, route, res, [...models]);

    const index = turns++;
    const n = index + 1;
    rec.protocol = wire[0];
    const turn = pick(rec, index);
    rec.turn = turn;
    if (Array.isArray(script) && index >= script.length) rec.overrun = true;
    const usage = "fault" in turn ? defaultUsage(n) : (turn.usage ?? defaultUsage(n));
    if (!("fault" in turn)) rec.usage = usage;
    const stream = (rec.body as { stream?: unknown } | undefined)?.stream === true;
    const headers = { "request-id": `req_mock_${n}`, "x-request-id": `req_mock_${n}` };
    await serveTurn(res, wire[1], turn, { n, model: rec.model ?? "mock-model", usage }, stream, headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function record(req: IncomingMessage, text: string): RecordedRequest {
  let body: unknown = text === "" ? undefined : text;
  try {
    if (text !== "") body = JSON.parse(text);
  } catch {}
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = [v].flat().join(", ");
  const model = (body as { model?: unknown } | undefined)?.model;
  return {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers,
    body,
    protocol: "other",
    ...(typeof model === "string" ? { model } : {}),
    tools: toolNames(body),
  };
}

/** The routes that consume no turn. */
function answerOther(rec: RecordedRequest, route: string, res: ServerResponse, models: string[]): void {
  const [status, body] = otherAnswer(rec, route, models);
  sendJson(res, status, body, {});
}

function otherAnswer(rec: RecordedRequest, route: string, models: string[]): [number, unknown] {
  if (route === "/" && (rec.method === "HEAD" || rec.method === "GET")) return [200, { ok: true }];
  if (route === "/models" && rec.method === "GET") {
    const data = models.map((id) => ({
      id,
      object: "model",
      type: "model",
      display_name: id,
      created: 0,
      created_at: "1970-01-01T00:00:00Z",
      owned_by: "mock",
    }));
    return [200, { object: "list", data, has_more: false, first_id: models[0], last_id: models.at(-1) }];
  }
  if (route === "/messages/count_tokens" && rec.method === "POST")
    return [200, { input_tokens: Math.ceil(JSON.stringify(rec.body ?? "").length / 4) }];
  const message = `mock model server: no route for ${rec.method} ${rec.path}`;
  return [404, { error: { message, type: "not_found_error" } }];
}
