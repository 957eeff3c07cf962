/**
 * `longrun dash`'s server: 127.0.0.1 only, a random token on every request, the page's static files,
 * a JSON state, Server-Sent Events for what changes, paged artifacts, and the steering actions.
 * It follows the repo's newest run (switching when a new one starts) and works with none.
 */
import { randomBytes } from "node:crypto";
import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { UserError } from "../core/user-error.ts";
import type { Prices } from "../cost/price-table.ts";
import { git } from "../git/git.ts";
import { readPage, sizeOf } from "../store/file-tail.ts";
import { listRuns, readRunInfo } from "../store/run-journal.ts";
import { fileStamp } from "../store/status-inputs.ts";
import { checkRequest } from "./access.ts";
import { ACTIONS, type Action, act } from "./actions.ts";
import { RepoFiles } from "./repo-files.ts";
import { RunFollow } from "./run-follow.ts";
import { snapshot } from "./snapshot.ts";

export interface DashOptions {
  dir: string;
  /** 0: any free port. */
  port: number;
  prices: Prices;
  token?: string;
  /** Follow this run (an id under .longrun/runs) instead of the newest. */
  run?: string;
  /** How often the journal is looked at (ms). */
  pollMs?: number;
  /** How often the other files are looked at (ms). */
  filesMs?: number;
  /** Run every 32 MB of a journal's first read (the CLI passes a full garbage collection). */
  collect?: () => void;
}

export interface Dash {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const UI = new URL("../../dash-ui/", import.meta.url);
const STATIC: Record<string, string> = {
  "/app.js": "text/javascript; charset=utf-8",
  "/style.css": "text/css; charset=utf-8",
};
const PAGE_BYTES = 64 << 10;
const MAX_PAGE = 1 << 20;
/** Bytes waiting for a page that does not read before it is dropped. */
const MAX_BACKLOG = 8 << 20;

export async function startDash(o: DashOptions): Promise<Dash> {
  const token = o.token ?? randomBytes(18).toString("base64url");
  const files = new RepoFiles(o.dir);
  await files.refresh();
  const clients = new Set<ServerResponse>();
  let follow: RunFollow | null = null;
  let runsSig = "";
  let lastState = "";
  let stateDue = true;
  let lastStateAt = 0;
  let port = 0;

  const send = (res: ServerResponse, event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  /** Write to every page; one that stopped reading (a laptop asleep) is dropped, and gets a reset when it reconnects. */
  const toAll = (text: string) => {
    for (const c of clients) {
      if (c.writableLength > MAX_BACKLOG) {
        clients.delete(c);
        c.end();
      } else c.write(text);
    }
  };
  const broadcast = (event: string, data: unknown) =>
    toAll(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const stateJson = () => JSON.stringify(snapshotNow());
  const snapshotNow = () => {
    const s = snapshot(files, follow);
    if (follow) {
      // Delivered, or in the brief of the session now running: no longer waiting.
      const delivered = follow.state.delivered;
      const briefed = new Set((follow.state.open?.brief?.steer ?? []).map((m) => m.id));
      s.control.steering = s.control.steering.filter((m) => !delivered.has(m.id) && !briefed.has(m.id));
    }
    return s;
  };

  /** Follow the newest supervised run (or the newest of any kind when there is none). */
  const pickRun = () => {
    const sig = fileStamp(path.join(o.dir, ".longrun", "runs"));
    if (sig === runsSig && follow) return;
    runsSig = sig;
    const ids = listRuns(o.dir).reverse();
    const id = o.run ?? ids.find((r) => readRunInfo(o.dir, r)?.kind === "run") ?? ids[0];
    if (!id || id === follow?.id) return;
    follow?.close();
    const f = new RunFollow(
      o.dir,
      id,
      o.prices,
      Math.max(0, sizeOf(path.join(o.dir, ".longrun", "runs", id, "events.jsonl"))),
    );
    follow = f;
    // The first chunk is folded at once (all of a small journal): its rows go out in the reset.
    let announced = false;
    const collect = o.collect ? { every: 32 << 20, run: o.collect } : undefined;
    const caughtUp = f.catchUp((rows) => announced && broadcast("rows", rows), collect);
    broadcast("reset", { runId: id, feed: f.recentFeed() });
    announced = true;
    stateDue = true;
    caughtUp.then(
      () => {
        stateDue = true;
      },
      () => {
        // The journal was replaced while it was read: start over on the next look.
        runsSig = "";
        if (follow === f) follow = null;
      },
    );
  };
  pickRun();

  /** New journal lines out to the pages; true when the journal moved. */
  const pollJournal = (): boolean => {
    if (!follow) return false;
    const before = follow.offset;
    const { rows, shrunk } = follow.poll();
    if (shrunk) {
      runsSig = "";
      follow.close();
      follow = null;
      pickRun();
      return false;
    }
    if (rows.length) broadcast("rows", rows);
    if (follow.offset === before) return false;
    stateDue = true;
    return true;
  };

  let stateCostMs = 0;
  const pushState = (force = false) => {
    const now = Date.now();
    // No page, no state to make (a page that connects gets one at once).
    if (!stateDue || !clients.size || (!force && now - lastStateAt < stateGapMs(stateCostMs))) return;
    stateDue = false;
    lastStateAt = now;
    const t = performance.now();
    const json = stateJson();
    stateCostMs = performance.now() - t;
    if (json === lastState) return;
    lastState = json;
    toAll(`event: state\ndata: ${json}\n\n`);
  };

  let busy: Promise<void> | null = null;
  /** Look at the other files (read again only what changed); one look at a time. */
  const lookAtFiles = (): Promise<void> => {
    if (busy) return busy;
    const look = (async () => {
      try {
        pickRun();
        if (await files.refresh()) {
          stateDue = true;
          pushState(true);
        }
      } catch {
        // A file mid-write that a reader trips on: the next look reads it again.
      }
    })();
    busy = look;
    look.finally(() => {
      if (busy === look) busy = null;
    });
    return look;
  };
  let polling = false;
  const journalTimer = setInterval(async () => {
    if (polling) return;
    polling = true;
    try {
      // A step of the run may have changed the checklist or the log: the state goes out with them read.
      if (pollJournal()) await lookAtFiles();
      pushState();
    } finally {
      polling = false;
    }
  }, o.pollMs ?? 50);
  const filesTimer = setInterval(lookAtFiles, o.filesMs ?? 250);
  const keepAlive = setInterval(() => {
    toAll(": keep-alive\n\n");
  }, 15_000);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const user = err instanceof UserError;
      reply(res, user ? 400 : 500, {
        error: user ? err.message : `internal error: ${(err as Error).message}`,
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = url.pathname;
    const isAction = route.startsWith("/api/action/");
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const bearer = /^Bearer (.+)$/.exec(header("authorization") ?? "")?.[1];
    const verdict = checkRequest(
      {
        method: req.method ?? "GET",
        host: header("host"),
        origin: header("origin"),
        fetchSite: header("sec-fetch-site"),
        token: url.searchParams.get("token") ?? header("x-longrun-token") ?? bearer ?? null,
      },
      token,
      port,
      isAction,
    );
    if (!verdict.ok) return reply(res, verdict.status, { error: verdict.message });
    if (!isAction && req.method !== "GET" && req.method !== "HEAD")
      return reply(res, 405, { error: `${req.method} ${route}: only GET here` });
    if (route === "/") return page(res);
    if (STATIC[route]) {
      res.writeHead(200, { "content-type": STATIC[route]!, "cache-control": "no-store", ...SECURITY });
      res.end(readFileSync(new URL(`.${route}`, UI)));
      return;
    }
    if (route === "/api/state") {
      await lookAtFiles();
      return reply(res, 200, snapshotNow());
    }
    if (route === "/api/stream") return stream(req, res);
    if (route === "/api/file") return file(url, res);
    if (route === "/api/artifacts") return artifacts(res);
    if (route === "/api/commit") return commit(url, res);
    if (isAction) {
      const name = route.slice("/api/action/".length) as Action;
      if (!ACTIONS.includes(name))
        return reply(res, 404, { error: `no action ${name} (${ACTIONS.join(", ")})` });
      if (!(header("content-type") ?? "").startsWith("application/json"))
        return reply(res, 415, { error: "send the action as application/json" });
      const body = await readBody(req);
      const result = await act(o.dir, name, body);
      await files.refresh();
      stateDue = true;
      pushState(true);
      return reply(res, 200, result);
    }
    reply(res, 404, { error: `no such page: ${route}` });
  }

  function page(res: ServerResponse): void {
    const html = readFileSync(new URL("index.html", UI), "utf8").replaceAll("__TOKEN__", token);
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      ...SECURITY,
    });
    res.end(html);
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 1000\n\n");
    send(res, "reset", { runId: follow?.id ?? null, feed: follow?.recentFeed() ?? [] });
    res.write(`event: state\ndata: ${stateJson()}\n\n`);
    clients.add(res);
    req.on("close", () => clients.delete(res));
  }

  /** A page of a file under .longrun/runs (artifacts, briefs, journals): never the whole file. */
  function file(url: URL, res: ServerResponse) {
    const rel = url.searchParams.get("path") ?? "";
    const runs = realpathOr(path.join(o.dir, ".longrun", "runs"));
    let real: string;
    try {
      real = realpathSync(path.resolve(o.dir, rel));
    } catch {
      return reply(res, 404, { error: `no such file: ${rel}` });
    }
    if (!runs || !real.startsWith(runs + path.sep))
      return reply(res, 403, { error: `${rel}: only files under .longrun/runs/ can be viewed` });
    if (!statSync(real).isFile()) return reply(res, 400, { error: `${rel}: not a file` });
    const limit = Math.min(MAX_PAGE, Math.max(1, Number(url.searchParams.get("limit")) || PAGE_BYTES));
    const size = sizeOf(real);
    const at = url.searchParams.get("offset");
    const offset = at === "end" ? Math.max(0, size - limit) : Math.max(0, Number(at) || 0);
    reply(res, 200, { path: rel, ...readPage(real, offset, limit) });
  }

  function artifacts(res: ServerResponse) {
    if (!follow) return reply(res, 200, { runId: null, files: [] });
    const base = path.join(o.dir, ".longrun", "runs", follow.id);
    reply(res, 200, { runId: follow.id, files: listFiles(o.dir, base, 1000) });
  }

  async function commit(url: URL, res: ServerResponse): Promise<void> {
    const sha = url.searchParams.get("sha") ?? "";
    if (!/^[0-9a-f]{7,40}$/.test(sha)) return reply(res, 400, { error: `not a commit id: ${sha}` });
    const r = await git(o.dir, ["show", "--stat", "--patch", "--format=fuller", "--no-color", sha]);
    if (r.code !== 0) return reply(res, 404, { error: r.stderr.trim().split("\n")[0] ?? `no commit ${sha}` });
    const text = r.stdout.length > MAX_PAGE ? `${r.stdout.slice(0, MAX_PAGE)}\n… (cut at 1 MB)` : r.stdout;
    reply(res, 200, { sha, text });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, "127.0.0.1", () => resolve());
  }).catch((err: NodeJS.ErrnoException) => {
    clearInterval(journalTimer);
    clearInterval(filesTimer);
    clearInterval(keepAlive);
    if (err.code === "EADDRINUSE")
      throw new UserError(
        `dash: port ${o.port} is in use (pick another with --port, or --port 0 for any free one)`,
      );
    if (err.code === "EACCES")
      throw new UserError(`dash: port ${o.port} needs privileges (pick a port above 1023, or --port 0)`);
    throw err;
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      clearInterval(journalTimer);
      clearInterval(filesTimer);
      clearInterval(keepAlive);
      follow?.close();
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Time between two pushed states: 200 ms, or ten times what the last state took to make, so that a
 * costly state (a huge run's chart) takes at most a tenth of the server's time and the activity rows,
 * sent on their own, do not wait behind it.
 */
export function stateGapMs(lastCostMs: number): number {
  return Math.max(200, 10 * lastCostMs);
}

const SECURITY = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...SECURITY,
  });
  res.end(JSON.stringify(body));
}

function realpathOr(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 256 << 10) throw new UserError("the request body is over 256 KB");
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new UserError("the request body is not a JSON object");
}

/** Files under `base` (relative to `repo`), with sizes, newest folders first, at most `max`. */
function listFiles(repo: string, base: string, max: number): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const e of entries) {
      if (out.length >= max) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push({ path: path.relative(repo, p), size: Math.max(0, sizeOf(p)) });
    }
  };
  walk(base);
  return out;
}
