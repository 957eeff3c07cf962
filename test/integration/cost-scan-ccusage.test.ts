// `longrun cost scan` against ccusage 20 (a pinned devDependency) on the same logs: equal token totals
// on every rule both follow, and where ccusage is wrong, the test shows its number beside longrun's.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, test } from "vitest";
import { findBinary } from "../../src/exec/find-binary.ts";
import { cleanup, longrunAsync, tempDir } from "../component/cli.ts";
import {
  claudeLine,
  claudeToolResult,
  codexMeta,
  codexTokens,
  codexTurn,
  opencodeMessage,
  piLine,
  writeLogs,
} from "../kit/usage-logs.ts";

afterAll(cleanup);
const ROOT = path.resolve(import.meta.dirname, "../..");
const CCUSAGE = findBinary("ccusage", ROOT);

interface Tokens {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
}
type From = "claude" | "codex" | "pi" | "opencode";
const ENV: Record<From, string> = {
  claude: "CLAUDE_CONFIG_DIR",
  codex: "CODEX_HOME",
  pi: "PI_AGENT_DIR",
  opencode: "OPENCODE_DATA_DIR",
};

async function longrunTotals(from: From, root: string): Promise<Tokens & { reasoning: number }> {
  const r = await longrunAsync([
    "cost",
    "scan",
    "--from",
    from,
    "--path",
    root,
    "--json",
    "--timezone",
    "UTC",
  ]);
  expect(r.code, r.stderr).toBe(0);
  const t = JSON.parse(r.stdout).totals;
  return {
    input: t.input,
    cachedInput: t.cachedInput,
    cacheWrite: t.cacheWrite,
    output: t.output,
    reasoning: t.reasoning,
  };
}

/** ccusage's totals in longrun's terms (its OpenCode output leaves reasoning out: added back). */
function ccusageTotals(from: From, root: string, env: Record<string, string> = {}): Promise<Tokens | string> {
  const home = tempDir("cchome-");
  return new Promise((resolve) =>
    execFile(
      CCUSAGE!,
      [from, "daily", "--json", "--offline", "--timezone", "UTC"],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          [ENV[from]]: from === "pi" ? path.join(root, "sessions") : root,
          ...env,
        },
      },
      (err, stdout, stderr) => {
        if (err) return resolve(`exit ${err.code}: ${stderr.trim().split("\n")[0]}`);
        const t = JSON.parse(stdout).totals;
        const visible = t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheCreationTokens;
        resolve({
          input: t.inputTokens,
          cachedInput: t.cacheReadTokens,
          cacheWrite: t.cacheCreationTokens,
          output: t.outputTokens + (from === "opencode" ? t.totalTokens - visible : 0),
        });
      },
    ),
  );
}

const tok = (input: number, cachedInput: number, cacheWrite: number, output: number): Tokens => ({
  input,
  cachedInput,
  cacheWrite,
  output,
});

interface Case {
  name: string;
  from: From;
  files: Record<string, string[] | Buffer>;
  want: Tokens;
  /** What ccusage reports where it is wrong (absent: the same as longrun). */
  ccusage?: Tokens | RegExp;
}

const P = "projects/-home-dev-app";
const S = "sessions/2026/11/20";
const big = "x".repeat(10 * 1024 * 1024);

const cases: Case[] = [
  // Claude Code
  {
    name: "claude: one response on three lines with growing output counts once, as its largest copy",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [claudeLine({ output: 1 }), claudeLine({ output: 1 }), claudeLine({ output: 50 })],
    },
    want: tok(100, 0, 0, 50),
  },
  {
    name: "claude: message id + request id is one response across sessions and files",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [claudeLine({ session: "s1" })],
      [`${P}/s2.jsonl`]: [claudeLine({ session: "s2" }), claudeLine({ id: "msg_2", req: "req_2", input: 7 })],
    },
    want: tok(107, 0, 0, 100),
  },
  {
    name: "claude: without a request id, message id + session; without a message id, every line",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [
        claudeLine({ req: null, session: "a" }),
        claudeLine({ req: null, session: "a" }),
        claudeLine({ req: null, session: "b" }),
        claudeLine({ id: null, input: 1, output: 1 }),
        claudeLine({ id: null, input: 1, output: 1 }),
      ],
    },
    want: tok(202, 0, 0, 102),
  },
  {
    name: "claude: cache writes from the cache_creation object (5m + 1h) over cache_creation_input_tokens",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [
        claudeLine({ cacheWrite: 999, cacheRead: 40, cc: { m5: 100, h1: 200 } }),
        claudeLine({ id: "msg_2", req: "req_2", cacheWrite: 500 }),
      ],
    },
    want: tok(200, 40, 800, 100),
  },
  {
    name: "claude: a sidechain replay of a main-chain message is dropped; its own answer counts",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [claudeLine({ id: "P", req: "rp", cacheRead: 20 })],
      [`${P}/s1/subagents/agent-1.jsonl`]: [
        claudeLine({ id: "P", req: "rs", cacheRead: 50000, sidechain: true }),
        claudeLine({ id: "S", req: "rsa", cacheRead: 700, sidechain: true }),
      ],
    },
    want: tok(200, 720, 0, 100),
  },
  {
    name: "claude: a subagent's responses inside progress records count",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [
        JSON.stringify({
          type: "progress",
          timestamp: "2026-11-20T10:00:02.000Z",
          sessionId: "s1",
          data: {
            message: {
              timestamp: "2026-11-20T10:00:02.000Z",
              requestId: "req_9",
              isSidechain: true,
              message: {
                id: "msg_9",
                model: "claude-haiku-4-5-20251001",
                usage: { input_tokens: 3, output_tokens: 4 },
              },
            },
          },
        }),
      ],
    },
    want: tok(3, 0, 0, 4),
  },
  {
    name: "claude: bad lines skipped (garbage, non-UTF-8, truncated last line); a 10 MB line, CRLF and unknown fields read",
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: Buffer.concat([
        Buffer.from(`${claudeLine({ extra: { future_field: { nested: [1, 2] } } })}\r\n`),
        Buffer.from("not json at all\n"),
        Buffer.from([0xff, 0xfe, 0x0a]),
        Buffer.from(`${claudeToolResult(big)}\n`),
        Buffer.from(`${claudeLine({ id: "msg_2", req: "req_2", input: 5, output: 5 })}\n`),
        Buffer.from(claudeLine({ id: "msg_3", req: "req_3" }).slice(0, 120)),
      ]),
    },
    want: tok(105, 0, 0, 55),
  },
  {
    name: "claude (ccusage wrong): a `null` anywhere under a key like id drops the whole response in ccusage",
    from: "claude",
    files: { [`${P}/s1.jsonl`]: [claudeLine({ extra: { toolUseResult: { id: null, stdout: "" } } })] },
    want: tok(100, 0, 0, 50),
    ccusage: tok(0, 0, 0, 0),
  },
  {
    name: "claude (ccusage wrong): a BOM before the first line drops that response in ccusage",
    from: "claude",
    files: { [`${P}/s1.jsonl`]: [`\ufeff${claudeLine()}`, claudeLine({ id: "msg_2", req: "req_2" })] },
    want: tok(200, 0, 0, 100),
    ccusage: tok(100, 0, 0, 50),
  },
  {
    name: 'claude (ccusage wrong): spaced JSON (`"usage": {`) and microsecond times are skipped by ccusage',
    from: "claude",
    files: {
      [`${P}/s1.jsonl`]: [
        JSON.stringify(JSON.parse(claudeLine()), null, 1).replace(/\n\s*/g, " "),
        claudeLine({ id: "msg_2", req: "req_2", ts: "2026-11-20T10:00:00.123456Z" }),
      ],
    },
    want: tok(200, 0, 0, 100),
    ccusage: tok(0, 0, 0, 0),
  },
  // Codex
  {
    name: "codex: last-turn usage counts; a re-emitted snapshot (same total) counts nothing; input without cached",
    from: "codex",
    files: {
      [`${S}/rollout-a.jsonl`]: [
        codexMeta("a"),
        codexTurn("gpt-5.2"),
        codexTokens(
          "2026-11-20T10:00:01.000Z",
          { input: 1000, cached: 200, output: 50, reasoning: 20 },
          { input: 1000, cached: 200, output: 50, reasoning: 20 },
        ),
        codexTokens(
          "2026-11-20T10:00:02.000Z",
          { input: 1000, cached: 200, output: 50, reasoning: 20 },
          { input: 1000, cached: 200, output: 50, reasoning: 20 },
        ),
        codexTokens(
          "2026-11-20T10:00:03.000Z",
          { input: 2500, cached: 1200, output: 120, reasoning: 40 },
          { input: 1500, cached: 1000, output: 70, reasoning: 20 },
        ),
      ],
    },
    want: tok(1300, 1200, 0, 120),
  },
  {
    name: "codex: an old log with running totals only counts their growth; an archived copy is read once",
    from: "codex",
    files: {
      [`${S}/rollout-b.jsonl`]: [
        codexTurn("gpt-5-codex"),
        codexTokens("2026-11-20T10:00:01.000Z", { input: 100, cached: 0, output: 10 }, null),
        codexTokens("2026-11-20T10:00:02.000Z", { input: 300, cached: 100, output: 30 }, null),
      ],
      "archived_sessions/2026/11/20/rollout-b.jsonl": [
        codexTurn("gpt-5-codex"),
        codexTokens("2026-11-20T10:00:01.000Z", { input: 100, cached: 0, output: 10 }, null),
      ],
    },
    want: tok(200, 100, 0, 30),
  },
  {
    name: "codex: the same event copied into two rollouts counts once; a fork's replay of its parent is skipped",
    from: "codex",
    files: {
      [`${S}/rollout-p.jsonl`]: [
        codexMeta("parent"),
        codexTurn("gpt-5.2"),
        codexTokens("2026-11-20T10:00:01.000Z", { input: 100, output: 10 }, { input: 100, output: 10 }),
      ],
      [`${S}/rollout-q.jsonl`]: [
        codexMeta("fork", { forked_from_id: "parent" }),
        codexTurn("gpt-5.2"),
        codexTokens("2026-11-20T10:00:01.000Z", { input: 100, output: 10 }, { input: 100, output: 10 }),
        codexTokens("2026-11-20T10:00:06.000Z", { input: 150, output: 15 }, { input: 50, output: 5 }),
      ],
      [`${S}/rollout-r.jsonl`]: [
        codexMeta("copy"),
        codexTurn("gpt-5.2"),
        codexTokens("2026-11-20T10:00:01.000Z", { input: 100, output: 10 }, { input: 100, output: 10 }),
      ],
    },
    want: tok(150, 0, 0, 15),
  },
  {
    name: "codex (ccusage wrong): a microsecond timestamp aborts the whole ccusage report",
    from: "codex",
    files: {
      [`${S}/rollout-c.jsonl`]: [
        codexTurn("gpt-5.2"),
        codexTokens("2026-11-20T10:00:01.123456Z", { input: 100, output: 10 }, { input: 100, output: 10 }),
      ],
    },
    want: tok(100, 0, 0, 10),
    ccusage: /exit 1: .*Invalid Codex timestamp/,
  },
  // Pi
  {
    name: "pi: assistant messages; the same line twice counts once",
    from: "pi",
    files: {
      "sessions/--home-dev-app--/2026-11-20T10-00-00-000Z_s1.jsonl": [
        JSON.stringify({ type: "session", version: 3, id: "s1", cwd: "/home/dev/app" }),
        piLine({ id: "a1", cacheRead: 30 }),
        piLine({ id: "a1", cacheRead: 30 }),
        piLine({ id: "a2", ts: "2026-11-20T10:00:05.000Z", input: 50, output: 5, cacheWrite: 7 }),
      ],
    },
    want: tok(150, 30, 7, 25),
  },
  // OpenCode
  {
    name: "opencode: SQLite messages and old JSON files; reasoning is part of output; the database wins on an id",
    from: "opencode",
    files: {
      "storage/message/ses_2/msg_old.json": [
        JSON.stringify(opencodeMessage({ id: "msg_old", session: "ses_2", input: 5, output: 5 })),
      ],
      "storage/message/ses_1/msg_a.json": [JSON.stringify(opencodeMessage({ id: "msg_a", input: 999 }))],
    },
    want: tok(100 + 40 + 5, 60, 9, 10 + 7 + 20 + 5),
  },
];

/** OpenCode's database for the opencode case. */
function opencodeDb(root: string): void {
  mkdirSync(root, { recursive: true });
  const db = new DatabaseSync(path.join(root, "opencode.db"));
  db.exec("CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, data TEXT)");
  const add = db.prepare("INSERT INTO message (id, session_id, time_created, data) VALUES (?, ?, 0, ?)");
  add.run(
    "msg_a",
    "ses_1",
    JSON.stringify(opencodeMessage({ id: "msg_a", input: 100, output: 10, reasoning: 7, read: 60 })),
  );
  add.run(
    "msg_b",
    "ses_1",
    JSON.stringify(opencodeMessage({ id: "msg_b", input: 40, output: 20, write: 9 })),
  );
  add.run("msg_u", "ses_1", JSON.stringify({ id: "msg_u", role: "user", time: { created: 1 } }));
  db.close();
}

describe.skipIf(!CCUSAGE)(
  `cost scan vs ccusage 20${CCUSAGE ? "" : " (skipped: ccusage is not installed)"}`,
  () => {
    test.concurrent.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const root = writeLogs(tempDir("logs-"), c.files);
      if (c.from === "opencode") opencodeDb(root);
      const ours = await longrunTotals(c.from, root);
      expect({
        input: ours.input,
        cachedInput: ours.cachedInput,
        cacheWrite: ours.cacheWrite,
        output: ours.output,
      }).toEqual(c.want);
      const theirs = await ccusageTotals(c.from, root);
      if (c.ccusage instanceof RegExp) expect(theirs).toMatch(c.ccusage);
      else expect(theirs).toEqual(c.ccusage ?? c.want);
    });

    test("pi (ccusage wrong): Pi's own PI_CODING_AGENT_DIR is where longrun looks; ccusage ignores it", async () => {
      const root = writeLogs(tempDir("pi-"), {
        "sessions/--p--/2026-11-20T10-00-00-000Z_s1.jsonl": [piLine({})],
      });
      const home = tempDir("home-");
      const r = await longrunAsync(["cost", "scan", "--from", "pi", "--json"], {
        env: { PI_CODING_AGENT_DIR: root, HOME: home },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).totals).toMatchObject({ input: 100, output: 20 });
      const theirs = await new Promise<string>((resolve) =>
        execFile(
          CCUSAGE!,
          ["pi", "daily", "--json", "--offline"],
          { env: { PATH: process.env.PATH, HOME: home, PI_CODING_AGENT_DIR: root } },
          (_e, out) => resolve(out),
        ),
      );
      expect(JSON.parse(theirs).totals.inputTokens).toBe(0);
    });
  },
);
