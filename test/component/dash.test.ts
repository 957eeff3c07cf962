// `longrun dash` over HTTP, without a browser: who is let in, the state, live rows, artifacts, actions.

import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, initRepo, longrun, NODE, tempDir, tempRoot, testEnv } from "./cli.ts";
import { type DashProcess, request, sse, startDash } from "./dash-kit.ts";
import { loopRepo } from "./loop-kit.ts";

// biome-ignore lint/suspicious/noExplicitAny: the test reads JSON of many shapes, field by field
type J = any;

const RUN = "20261126T100000000Z-abcd";
let dir: string;
let dash: DashProcess;

const ev = (seq: number, extra: Record<string, unknown>) =>
  `${JSON.stringify({ v: 1, runId: "s1", seq, ts: new Date().toISOString(), taskId: "T001", ...extra })}\n`;

function writeRun(repo: string, id: string, lines: string): string {
  const d = path.join(repo, ".longrun", "runs", id);
  mkdirSync(path.join(d, "artifacts", "iter-001"), { recursive: true });
  writeFileSync(
    path.join(d, "run.json"),
    JSON.stringify({
      id,
      kind: "run",
      harness: "command",
      model: null,
      ownLogin: false,
      startedAt: new Date().toISOString(),
    }),
  );
  writeFileSync(path.join(d, "events.jsonl"), lines);
  return path.join(d, "events.jsonl");
}

beforeAll(async () => {
  dir = initRepo();
  writeRun(
    dir,
    RUN,
    ev(0, {
      type: "run_start",
      harness: "command",
      model: "gpt-5.2",
      cwd: dir,
      version: null,
      sessionId: null,
    }) +
      ev(1, { type: "message", text: "hello from the agent" }) +
      ev(2, {
        type: "usage",
        scope: "request",
        usage: { input: 1000, cachedInput: 9000, cacheWrite: 0, output: 100, reasoning: 0, model: null },
      }),
  );
  writeFileSync(
    path.join(dir, ".longrun", "runs", RUN, "artifacts", "iter-001", "verify.log"),
    `${"é".repeat(100_000)}END`,
  );
  dash = await startDash(dir);
});

afterAll(async () => {
  await dash?.stop();
});

describe("who may ask", () => {
  test("no token: 401, and the page says how to get in", async () => {
    for (const p of ["/", "/api/state", "/app.js", "/api/stream", "/favicon.ico"]) {
      const r = await request(dash.port, p);
      expect(r.status, p).toBe(401);
      expect(r.json().error).toMatch(/token/);
    }
    expect((await request(dash.port, "/api/state?token=wrong")).status).toBe(401);
  });
  test("a foreign Host header is refused even with the token (DNS rebinding)", async () => {
    const r = await request(dash.port, `/api/state?token=${dash.token}`, {
      headers: { host: `evil.example:${dash.port}` },
    });
    expect(r.status).toBe(403);
    expect(r.json().error).toMatch(/Host `evil\.example:\d+` refused/);
    const ok = await request(dash.port, `/api/state?token=${dash.token}`, {
      headers: { host: `localhost:${dash.port}` },
    });
    expect(ok.status).toBe(200);
  });
  test("changes: POST only, JSON only, never cross-origin", async () => {
    const t = { "x-longrun-token": dash.token, "content-type": "application/json" };
    expect((await request(dash.port, "/api/action/pause", { headers: t })).status).toBe(405);
    expect(
      (
        await request(dash.port, "/api/action/pause", {
          method: "POST",
          headers: { ...t, "content-type": "text/plain" },
          body: "{}",
        })
      ).status,
    ).toBe(415);
    const cross = await request(dash.port, "/api/action/pause", {
      method: "POST",
      headers: { ...t, origin: "http://evil.example" },
      body: "{}",
    });
    expect(cross.status).toBe(403);
    expect(
      (await request(dash.port, "/api/action/nope", { method: "POST", headers: t, body: "{}" })).status,
    ).toBe(404);
    expect((await request(dash.port, "/api/state", { method: "POST", headers: t, body: "{}" })).status).toBe(
      405,
    );
    expect(existsPause()).toBe(false);
  });
  test("the page carries the token into its assets and forbids inline script", async () => {
    const r = await request(dash.port, `/?token=${dash.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain(`/app.js?token=${dash.token}`);
    expect(r.headers["content-security-policy"]).toMatch(/script-src 'self'/);
    expect((await request(dash.port, `/app.js?token=${dash.token}`)).status).toBe(200);
  });
});

const existsPause = () => {
  try {
    readFileSync(path.join(dir, ".longrun", "control", "pause"));
    return true;
  } catch {
    return false;
  }
};

describe("state and live rows", () => {
  test("the state names the run, its spend and the tasks", async () => {
    const s = (await request(dash.port, `/api/state?token=${dash.token}`)).json() as J;
    expect(s.run).toMatchObject({
      id: RUN,
      harness: "command",
      state: "crashed",
      journal: { ready: true, lines: 3 },
    });
    expect(s.spend).toMatchObject({ input: 1000, cachedInput: 9000, output: 100, tokens: 10100 });
    expect(s.spend.costUSD).toBeGreaterThan(0);
    expect(s.spend.cacheReadShare).toBeCloseTo(0.9, 5);
    expect(s.tasks.length).toBeGreaterThan(0);
    expect(s.repo.name).toBe(path.basename(dir));
  });
  test("a line appended to the journal reaches a stream reader, a torn line once it is whole", async () => {
    const stream = sse(dash.port, dash.token);
    try {
      const reset = await stream.next((e) => e.event === "reset");
      expect((reset.data as J).feed.map((r: J) => r.text)).toContain("hello from the agent");
      const j = path.join(dir, ".longrun", "runs", RUN, "events.jsonl");
      const line = ev(3, { type: "message", text: "written just now ✓" });
      appendFileSync(j, line.slice(0, 30));
      await new Promise((r) => setTimeout(r, 300));
      expect(
        stream.events.some((e) => e.event === "rows" && JSON.stringify(e.data).includes("written just now")),
      ).toBe(false);
      const t0 = Date.now();
      appendFileSync(j, line.slice(30));
      const rows = await stream.next(
        (e) => e.event === "rows" && JSON.stringify(e.data).includes("written just now"),
      );
      expect((rows.data as J)[0]).toMatchObject({
        kind: "message",
        text: "written just now ✓",
        taskId: "T001",
      });
      expect(rows.at - t0).toBeLessThan(2000);
    } finally {
      stream.close();
    }
  });
  test("a page that stops reading is dropped, not buffered without end", async () => {
    const j = path.join(dir, ".longrun", "runs", RUN, "events.jsonl");
    const ended = new Promise<boolean>((resolve) => {
      const req = http.get(
        {
          host: "127.0.0.1",
          port: dash.port,
          path: `/api/stream?token=${dash.token}`,
          headers: { host: `127.0.0.1:${dash.port}` },
        },
        (res) => {
          res.pause(); // a laptop gone to sleep
          setTimeout(() => {
            // ~40 MB of rows while it does not read, in pieces the server polls one by one.
            const text = "x".repeat(1900);
            let chunk = "";
            for (let i = 0; i < 2000; i++) chunk += ev(100 + i, { type: "message", text });
            for (let k = 0; k < 10; k++) appendFileSync(j, chunk);
            setTimeout(() => {
              res.on("end", () => resolve(true));
              res.on("close", () => resolve(true));
              res.resume();
            }, 3000);
          }, 300);
        },
      );
      req.on("error", () => resolve(true));
      setTimeout(() => resolve(false), 20_000);
    });
    expect(await ended).toBe(true);
    // The server still answers.
    expect((await request(dash.port, `/api/state?token=${dash.token}`)).status).toBe(200);
  }, 30_000);
  test("a new run is followed when it starts", async () => {
    const stream = sse(dash.port, dash.token);
    try {
      await stream.next((e) => e.event === "reset");
      const id = "20261126T110000000Z-beef";
      writeRun(dir, id, ev(0, { type: "message", text: "second run" }));
      const reset = await stream.next((e) => e.event === "reset" && (e.data as J).runId === id);
      expect((reset.data as J).feed.map((r: J) => r.text)).toEqual(["second run"]);
    } finally {
      stream.close();
    }
  });
});

describe("artifacts", () => {
  const file = (q: string) => request(dash.port, `/api/file?token=${dash.token}&${q}`);
  test("paged, never whole; from the end too", async () => {
    const rel = `.longrun/runs/${RUN}/artifacts/iter-001/verify.log`;
    const first = (await file(`path=${encodeURIComponent(rel)}&limit=1001`)).json() as J;
    expect(first).toMatchObject({ offset: 0, size: 200_003 });
    expect(first.next).toBe(1000); // not inside a 2-byte character
    expect(first.text).toBe("é".repeat(500));
    const end = (await file(`path=${encodeURIComponent(rel)}&offset=end&limit=10`)).json() as J;
    expect(end.text.endsWith("END")).toBe(true);
    const list = (await request(dash.port, `/api/artifacts?token=${dash.token}`)).json() as J;
    expect(list.files.map((f: J) => f.path)).toContain(`.longrun/runs/${list.runId}/run.json`);
  });
  test("nothing outside .longrun/runs", async () => {
    for (const p of [
      "checklist.yaml",
      "../../../../etc/passwd",
      ".longrun/config.yaml",
      `.longrun/runs/${RUN}/../../config.yaml`,
    ]) {
      const r = await file(`path=${encodeURIComponent(p)}`);
      expect([403, 404], p).toContain(r.status);
    }
    expect((await file("path=.longrun/runs/nope.log")).status).toBe(404);
  });
});

describe("actions", () => {
  const post = (name: string, body: unknown) =>
    request(dash.port, `/api/action/${name}`, {
      method: "POST",
      headers: {
        "x-longrun-token": dash.token,
        "content-type": "application/json",
        origin: `http://127.0.0.1:${dash.port}`,
      },
      body: JSON.stringify(body),
    });
  test("steer queues the message, notes it in run-log.md, and the state shows it within a second", async () => {
    const stream = sse(dash.port, dash.token);
    try {
      const t0 = Date.now();
      const r = await post("steer", { text: "keep the public API as it is" });
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ ok: true, action: "steer", logged: true });
      const s = await stream.next(
        (e) =>
          e.event === "state" &&
          JSON.stringify((e.data as J).control.steering).includes("keep the public API"),
      );
      expect(s.at - t0).toBeLessThan(1000);
      expect(readFileSync(path.join(dir, ".longrun", "control", "steer.jsonl"), "utf8")).toContain(
        "keep the public API",
      );
      expect(readFileSync(path.join(dir, "run-log.md"), "utf8")).toMatch(
        /note: dashboard: steering queued for the next brief: keep the public API/,
      );
    } finally {
      stream.close();
    }
  });
  test("pause and resume write the control file; stop without a run is refused", async () => {
    expect((await post("pause", {})).status).toBe(200);
    expect(existsPause()).toBe(true);
    expect(((await request(dash.port, `/api/state?token=${dash.token}`)).json() as J).control.paused).toBe(
      true,
    );
    expect((await post("resume", {})).status).toBe(200);
    expect(existsPause()).toBe(false);
    const stop = await post("stop", {});
    expect(stop.status).toBe(400);
    expect(stop.json().error).toMatch(/no `longrun run` is active/);
  });
  test("an empty message or a body that is not JSON is a 400 with a reason", async () => {
    expect((await post("steer", { text: "  " })).json().error).toMatch(/empty/);
    const bad = await request(dash.port, "/api/action/steer", {
      method: "POST",
      headers: { "x-longrun-token": dash.token, "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/not a JSON object/);
  });
});

describe("the command", () => {
  test("works with no run and a broken checklist, and keeps working when it is fixed", async () => {
    const repo = initRepo();
    const good = readFileSync(path.join(repo, "checklist.yaml"), "utf8");
    const d = await startDash(repo);
    try {
      let s = (await request(d.port, `/api/state?token=${d.token}`)).json() as J;
      expect(s.run).toBeNull();
      writeFileSync(path.join(repo, "checklist.yaml"), "tasks: [unclosed\n");
      await new Promise((r) => setTimeout(r, 600));
      s = (await request(d.port, `/api/state?token=${d.token}`)).json() as J;
      expect(s.checklistError).toMatch(/checklist\.yaml:\d+:\d+/);
      writeFileSync(path.join(repo, "checklist.yaml"), good);
      await new Promise((r) => setTimeout(r, 600));
      s = (await request(d.port, `/api/state?token=${d.token}`)).json() as J;
      expect(s.checklistError).toBeNull();
    } finally {
      const r = await d.stop();
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
    }
  });
  test("--run ID shows that run; an unknown id is one line, exit 2", async () => {
    const d = await startDash(dir, ["--run", RUN]);
    try {
      const s = (await request(d.port, `/api/state?token=${d.token}`)).json() as J;
      expect(s.run.id).toBe(RUN); // not the newer run the tests above added
    } finally {
      await d.stop();
    }
    const r = longrun(["dash", "--dir", dir, "--run", "20260101T000000000Z-none"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no run `20260101T000000000Z-none`.*the newest is/);
  });
  test("--open hands the URL to the system's opener", async () => {
    const bin = tempDir("bin-");
    const seen = path.join(bin, "opened");
    writeFileSync(path.join(bin, "xdg-open"), `#!/bin/sh\necho "$1" > '${seen}'\n`, { mode: 0o755 });
    const d = await startDash(initRepo(), ["--open"], { PATH: `${bin}:${testEnv().PATH}` });
    try {
      const end = Date.now() + 5000;
      while (!existsSync(seen) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(readFileSync(seen, "utf8").trim()).toBe(d.url);
    } finally {
      await d.stop();
    }
  });
  test("Ctrl-C and SIGTERM stop it cleanly, also after an action", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const d = await startDash(initRepo());
      const steer = await request(d.port, "/api/action/steer", {
        method: "POST",
        headers: { "x-longrun-token": d.token, "content-type": "application/json" },
        body: JSON.stringify({ text: "a message" }),
      });
      expect(steer.status).toBe(200);
      const r = await d.stop(signal);
      expect(r.code, signal).toBe(0);
      expect(r.stderr).toBe("");
    }
  });
  test("bad --port: one line, exit 2; a port in use says so", async () => {
    const r = longrun(["dash", "--dir", initRepo(), "--port", "http"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--port must be a whole number/);
    expect(longrun(["dash", "--dir", initRepo(), "--port", "70000"]).stderr).toMatch(/not a port/);
    const busy = net.createServer().listen(0, "127.0.0.1");
    await new Promise((res) => busy.once("listening", res));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const inUse = longrun(["dash", "--dir", initRepo(), "--port", String(port)]);
      expect(inUse.code).toBe(2);
      expect(inUse.stderr).toMatch(new RegExp(`port ${port} is in use`));
    } finally {
      busy.close();
    }
  });
});

describe("a large journal", () => {
  test("the page sees the first read's progress, then the whole of it", async () => {
    const repo = initRepo();
    const line = ev(0, { type: "message", text: "y".repeat(2000) });
    writeRun(repo, RUN, line.repeat(40_000)); // ~85 MB
    const d = await startDash(repo);
    const stream = sse(d.port, d.token);
    try {
      const done = await stream.next((e) => e.event === "state" && (e.data as J).run?.journal.ready, 60_000);
      const reading = stream.events
        .filter((e) => e.event === "state" && e.at < done.at)
        .map((e) => (e.data as J).run.journal);
      // It moves: more than one point of the read is shown before the end.
      const points = new Set(reading.filter((j: J) => !j.ready && j.read < j.size).map((j: J) => j.read));
      expect(points.size).toBeGreaterThan(1);
      expect((done.data as J).run.journal).toMatchObject({ lines: 40_000, badLines: 0 });
    } finally {
      stream.close();
      await d.stop();
    }
  }, 90_000);
});

describe("a run that crashes and resumes", () => {
  test("the page follows it through: running, crashed, running again, finished; one run, no reset", async () => {
    const { dir: repo, home } = loopRepo({
      tasks: `  - task_id: T001
    title: One
    status: not_started
    acceptance_criteria:
      - text: f1 exists
        check: test -f f1
`,
      agent: `echo '{"type":"message","text":"waiting for go"}'
i=0; while [ ! -f "$AGENT_HOME/go" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
echo '{"type":"message","text":"after the crash"}'
touch f1`,
    });
    const d = await startDash(repo);
    const stream = sse(d.port, d.token);
    let output = "";
    const start = () => {
      const child = spawn(NODE, [BIN, "run", "--dir", repo], { cwd: tempRoot(), env: testEnv() });
      child.stdout.on("data", (c) => {
        output += c;
      });
      child.stderr.on("data", (c) => {
        output += c;
      });
      return child;
    };
    const stateIs = (want: string) =>
      stream
        .next((e) => e.event === "state" && (e.data as J).run?.state === want, 20_000)
        .catch((err: Error) => {
          const states = stream.events
            .filter((e) => e.event === "state")
            .map((e) => (e.data as J).run?.state);
          throw new Error(
            `${err.message}: waiting for ${want}; states seen ${states.join(",")}; run said: ${output}`,
          );
        });
    try {
      const first = start();
      const running = await stateIs("running");
      const id = (running.data as J).run.id;
      await stream.next(
        (e) =>
          (e.event === "rows" || e.event === "reset") && JSON.stringify(e.data).includes("waiting for go"),
        10_000,
      );
      first.kill("SIGKILL");
      await stateIs("crashed");
      writeFileSync(path.join(home, "go"), "");
      const second = start();
      const exit = new Promise((r) => second.on("close", r));
      await stream.next((e) => e.event === "state" && (e.data as J).run?.state === "finished", 30_000);
      expect(await exit).toBe(0);
      const resets = stream.events.filter((e) => e.event === "reset").map((e) => (e.data as J).runId);
      expect(resets.filter((r) => r !== null && r !== id)).toEqual([]);
      const s = (await request(d.port, `/api/state?token=${d.token}`)).json() as J;
      expect(s.run).toMatchObject({ id, state: "finished", end: { reason: "done" } });
      expect(s.tasks[0]).toMatchObject({ id: "T001", status: "complete", criteria: [{ passed: true }] });
    } finally {
      stream.close();
      await d.stop();
    }
  }, 60_000);
});
