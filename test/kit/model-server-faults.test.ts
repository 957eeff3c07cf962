import { describe, expect, test } from "vitest";
import { serverPerTest } from "./server-per-test.ts";
import {
  BODIES,
  decodeAnthropic,
  decodeChat,
  decodeResponses,
  frames,
  type J,
  PATHS,
  PROTOS,
} from "./wire-client.ts";

const { serve, post, server, forget } = serverPerTest();

describe.each(PROTOS)("faults on %s", (proto) => {
  const completion = { responses: "response.completed", chat: "[DONE]", anthropic: "message_stop" }[proto];

  test("http500 and http404: that status and a JSON error body carrying the message", async () => {
    await serve([{ fault: "http500", message: "boom" }, { fault: "http404" }]);
    const a = await post(PATHS[proto], BODIES[proto]);
    expect(a.status).toBe(500);
    expect(JSON.stringify(JSON.parse(a.text))).toContain('"message":"boom"');
    const b = await post(PATHS[proto], BODIES[proto]);
    expect(b.status).toBe(404);
    expect(JSON.parse(b.text)).toMatchObject({ error: { message: "The model `mock-model` does not exist" } });
  });

  test("http429 sends retry-after", async () => {
    await serve([{ fault: "http429", retryAfterSeconds: 7 }]);
    const r = await post(PATHS[proto], BODIES[proto]);
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect(JSON.parse(r.text).error).toBeDefined();
  });

  test("malformed: 200, one good delta, a line that is not JSON, then the end without completion", async () => {
    await serve([{ fault: "malformed", message: "half" }]);
    const r = await post(PATHS[proto], BODIES[proto]);
    expect(r.status).toBe(200);
    expect(r.error).toBeUndefined();
    const fs = frames(r.text);
    const bad = fs.filter((f) => {
      try {
        JSON.parse(f.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    expect(r.text).toContain("half");
    expect(r.text).not.toContain(completion);
  });

  test("drop: headers and one delta, then the socket dies and the body read fails", async () => {
    await serve([{ fault: "drop", message: "cut" }]);
    const r = await post(PATHS[proto], BODIES[proto]);
    expect(r.status).toBe(200);
    expect(r.error).toBeInstanceOf(Error);
    expect(r.text).not.toContain(completion);
  });

  test("stall: no completion within 500 ms, and close() still returns at once", async () => {
    await serve([{ fault: "stall", message: "wait" }]);
    const r = await post(PATHS[proto], BODIES[proto], 500);
    expect(r.status).toBe(200);
    expect(r.timedOut).toBe(true);
    expect(r.text).toContain("wait");
    expect(r.text).not.toContain(completion);
    const closed = server()
      .close()
      .then(() => "closed");
    const late = new Promise((res) => setTimeout(() => res("still open"), 2_000).unref());
    expect(await Promise.race([closed, late])).toBe("closed");
    await expect(r.rest).rejects.toBeInstanceOf(Error);
    forget();
  });
});

describe("recording and routing", () => {
  test("every request is recorded: method, path, lower-case headers, parsed body, protocol, model, tools", async () => {
    await serve([{ text: "a" }, { text: "b" }, { text: "c" }]);
    await post(PATHS.responses, {
      ...BODIES.responses,
      model: "gpt-x",
      tools: [{ type: "function", name: "exec_command" }, { type: "web_search" }],
    });
    await post("/chat/completions", {
      ...BODIES.chat,
      tools: [{ type: "function", function: { name: "bash" } }],
    });
    await post("/v1/messages?beta=true", {
      ...BODIES.anthropic,
      model: "claude-x",
      tools: [{ name: "Bash", input_schema: {} }],
    });
    const reqs = server().requests;
    expect(reqs.map((r) => [r.method, r.path, r.protocol, r.model, r.tools])).toEqual([
      ["POST", "/v1/responses", "responses", "gpt-x", ["exec_command"]],
      ["POST", "/chat/completions", "chat", "mock-model", ["bash"]],
      ["POST", "/v1/messages?beta=true", "anthropic", "claude-x", ["Bash"]],
    ]);
    expect(reqs[0]!.headers.authorization).toBe("Bearer sk-mock");
    expect(reqs[1]!.body).toEqual({
      ...BODIES.chat,
      tools: [{ type: "function", function: { name: "bash" } }],
    });
    expect(reqs.map((r) => r.turn)).toEqual([{ text: "a" }, { text: "b" }, { text: "c" }]);
  });

  test("/v1/models lists the models seen; other routes are 404 JSON; neither consumes a turn", async () => {
    await serve([{ text: "first" }]);
    await post(PATHS.chat, { ...BODIES.chat, model: "seen-model" });
    const models = (await (await fetch(`${server().url}/v1/models`)).json()) as J;
    expect(models.data.map((m: J) => m.id)).toEqual(["mock-model", "seen-model"]);
    const missing = await fetch(`${server().url}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as J).error.message).toContain("/v1/embeddings");
    expect((await fetch(`${server().url}/`, { method: "HEAD" })).status).toBe(200);
    const { requests } = server();
    expect(requests.map((r) => r.protocol)).toEqual(["chat", "other", "other", "other"]);
    expect(requests.slice(1).every((r) => r.turn === undefined)).toBe(true);
  });

  test("when the script runs out the server answers 'done' and marks the request", async () => {
    await serve([{ text: "only" }]);
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push(decodeChat((await post(PATHS.chat, BODIES.chat)).text).text);
    expect(texts).toEqual(["only", "done", "done"]);
    expect(server().requests.map((r) => r.overrun ?? false)).toEqual([false, true, true]);
    expect(server().requests[2]!.turn).toEqual({ text: "done" });
  });

  test("a script function sees each model request and its turn index; a throw becomes a 500", async () => {
    const seen: [string, number][] = [];
    await serve((req, index) => {
      seen.push([req.protocol, index]);
      if (index === 2) throw new Error("no turn for that");
      return { text: `turn ${index} via ${req.protocol}` };
    });
    expect(decodeAnthropic((await post(PATHS.anthropic, BODIES.anthropic)).text).text).toBe(
      "turn 0 via anthropic",
    );
    await fetch(`${server().url}/v1/models`);
    expect(decodeResponses((await post(PATHS.responses, BODIES.responses)).text).text).toBe(
      "turn 1 via responses",
    );
    const failed = await post(PATHS.chat, BODIES.chat);
    expect(failed.status).toBe(500);
    expect(failed.text).toContain("no turn for that");
    expect(seen).toEqual([
      ["anthropic", 0],
      ["responses", 1],
      ["chat", 2],
    ]);
  });

  test("a request is recorded before it is answered (a stalled one is visible)", async () => {
    await serve([{ fault: "stall" }]);
    const pending = post(PATHS.chat, BODIES.chat, 200);
    await pending;
    expect(server().requests).toHaveLength(1);
    expect(server().requests[0]!.turn).toEqual({ fault: "stall" });
  });
});
