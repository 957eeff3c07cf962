/**
 * Test kit of `longrun dash`: the real built CLI serving a temp repo, plain HTTP requests with any
 * headers (a browser would not send a foreign Host), and a Server-Sent Events reader.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { BIN, NODE, tempRoot, testEnv } from "./cli.ts";

export interface DashProcess {
  url: string;
  base: string;
  port: number;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  /** Ctrl-C; resolves with the exit code and stderr. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; stderr: string; stdout: string }>;
}

export function startDash(
  dir: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<DashProcess> {
  const child = spawn(NODE, [BIN, "dash", "--dir", dir, "--json", ...args], {
    cwd: tempRoot(),
    env: testEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stderr, stdout })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dash did not start: ${stderr}`)), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`dash exited ${code}: ${stderr}`));
    });
    child.stdout!.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
      const nl = stdout.indexOf("\n");
      if (nl === -1) return;
      clearTimeout(timer);
      const { url, port, token } = JSON.parse(stdout.slice(0, nl)) as {
        url: string;
        port: number;
        token: string;
      };
      resolve({
        url,
        port,
        token,
        base: `http://127.0.0.1:${port}`,
        child,
        stderr: () => stderr,
        stop: (signal = "SIGINT") => {
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => Record<string, unknown>;
}

/** One request to 127.0.0.1:port with exactly these headers (Host included). */
export function request(
  port: number,
  pathAndQuery: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: pathAndQuery,
        method: o.method ?? "GET",
        headers: { host: `127.0.0.1:${port}`, ...o.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (s: string) => {
          body += s;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on("error", reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

export interface SseEvent {
  event: string;
  data: unknown;
  at: number;
}

/** Reads /api/stream; `next(pred)` waits for an event that matches. */
export function sse(port: number, token: string) {
  const events: SseEvent[] = [];
  const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  let buf = "";
  const req = http.get(
    { host: "127.0.0.1", port, path: `/api/stream?token=${token}`, headers: { host: `127.0.0.1:${port}` } },
    (res) => {
      res.setEncoding("utf8").on("data", (s: string) => {
        buf += s;
        let end = buf.indexOf("\n\n");
        while (end !== -1) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          end = buf.indexOf("\n\n");
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          const e = { event, data: JSON.parse(data) as unknown, at: Date.now() };
          events.push(e);
          for (const w of [...waiters])
            if (w.pred(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
        }
      });
    },
  );
  req.on("error", () => {});
  return {
    events,
    next(pred: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const seen = events.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching event in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(t);
            resolve(e);
          },
        });
      });
    },
    close: () => req.destroy(),
  };
}
