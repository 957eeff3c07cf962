// `longrun cost scan` from the command line: groupings, dates, plans, default places, bad input.
import { chmodSync as chmod } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { claudeLine, codexTokens, codexTurn, writeLogs } from "../kit/usage-logs.ts";
import { cleanup, freshRepo, longrunAsync, snapshot, tempDir, unprivileged } from "./cli.ts";

afterAll(cleanup);

const P = "projects/-home-dev-app";

/** Claude logs over two days, two models, two projects and two sessions. */
function claudeLogs(): string {
  return writeLogs(tempDir("claude-"), {
    [`${P}/s1.jsonl`]: [
      claudeLine({
        id: "m1",
        req: "r1",
        ts: "2026-11-20T23:30:00.000Z",
        model: "claude-sonnet-4-5-20250929",
        input: 100_000,
        output: 0,
      }),
      claudeLine({
        id: "m2",
        req: "r2",
        ts: "2026-11-21T00:30:00.000Z",
        model: "claude-opus-4-6",
        input: 0,
        output: 1_000_000,
      }),
    ],
    "projects/-home-dev-lib/s2.jsonl": [
      claudeLine({
        id: "m3",
        req: "r3",
        ts: "2026-11-21T10:00:00.000Z",
        model: "claude-opus-4-6",
        input: 0,
        output: 0,
        cc: { m5: 0, h1: 1_000_000 },
      }),
    ],
  });
}

interface Scan {
  totals: { input: number; output: number; cacheWrite: number; costUSD: number | null; coveredUSD: number };
  rows: { key: string; costUSD: number | null; models: string[] }[];
  files: number;
  entries: number;
  duplicates: number;
  badLines: number;
  outsideDates: number;
  warnings: string[];
  unreadableFiles: string[];
}

async function scan(
  args: string[],
  env: Record<string, string | undefined> = {},
  dir?: string,
): Promise<Scan> {
  const r = await longrunAsync(["cost", "scan", "--json", ...(dir ? ["--dir", dir] : []), ...args], {
    env: { TZ: "UTC", ...env },
  });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Scan;
}

describe("cost scan", () => {
  const root = claudeLogs();

  test("by day (system time zone, or --timezone), model, session, project; priced per request", async () => {
    const byDay = await scan(["--from", "claude", "--path", root]);
    expect(byDay.rows.map((r) => [r.key, r.costUSD])).toEqual([
      ["2026-11-20", 0.3],
      ["2026-11-21", 25 + 10], // opus output, then 1-hour cache writes at $10
    ]);
    expect(byDay.totals).toMatchObject({ input: 100_000, output: 1_000_000, cacheWrite: 1_000_000 });
    expect(byDay.totals.costUSD).toBeCloseTo(35.3, 10);
    expect(byDay).toMatchObject({ files: 2, entries: 3, duplicates: 0, badLines: 0, warnings: [] });
    const tokyo = await scan(["--from", "claude", "--path", root, "--timezone", "Asia/Tokyo"]);
    expect(tokyo.rows.map((r) => r.key)).toEqual(["2026-11-21"]);
    const local = await scan(["--from", "claude", "--path", root], { TZ: "America/New_York" });
    expect(local.rows.map((r) => r.key)).toEqual(["2026-11-20", "2026-11-21"]);
    expect(
      (await scan(["--from", "claude", "--path", root, "--by", "model"])).rows.map((r) => r.key),
    ).toEqual(["claude-opus-4-6", "claude-sonnet-4-5-20250929"]);
    expect(
      (await scan(["--from", "claude", "--path", root, "--by", "project"])).rows.map((r) => r.key),
    ).toEqual(["-home-dev-app", "-home-dev-lib"]);
    expect(
      (await scan(["--from", "claude", "--path", root, "--by", "session"])).rows.map((r) => r.key),
    ).toEqual(["s1", "s2"]);
  });

  test("--since and --until are inclusive days (2026-11-21 or 20261121)", async () => {
    const s = await scan(["--from", "claude", "--path", root, "--since", "20261121"]);
    expect(s.rows.map((r) => r.key)).toEqual(["2026-11-21"]);
    expect(s.outsideDates).toBe(1);
    const u = await scan(["--from", "claude", "--path", root, "--until", "2026-11-20"]);
    expect(u.totals.input).toBe(100_000);
  });

  test("the default places: CLAUDE_CONFIG_DIR, else ~/.config/claude and ~/.claude; CODEX_HOME", async () => {
    expect((await scan(["--from", "claude"], { CLAUDE_CONFIG_DIR: root })).totals.input).toBe(100_000);
    const home = tempDir("home-");
    writeLogs(path.join(home, ".claude"), { [`${P}/a.jsonl`]: [claudeLine({ input: 5 })] });
    writeLogs(path.join(home, ".config", "claude"), {
      [`${P}/b.jsonl`]: [claudeLine({ id: "other", input: 7 })],
    });
    expect((await scan(["--from", "claude"], { HOME: home })).totals.input).toBe(12);
    const codex = writeLogs(tempDir("codex-"), {
      "sessions/2026/11/20/rollout-1.jsonl": [
        codexTurn("gpt-5.2"),
        codexTokens("2026-11-20T10:00:01.000Z", null, { input: 1_000_000, cached: 0, output: 0 }),
      ],
    });
    expect((await scan(["--from", "codex"], { CODEX_HOME: codex })).totals).toMatchObject({
      input: 1_000_000,
      costUSD: 1.75,
    });
  });

  test("a declared plan covers the scanned CLI's usage: priced, but not spend", async () => {
    const dir = freshRepo();
    await import("node:fs").then((fs) =>
      fs.writeFileSync(path.join(dir, ".longrun", "config.yaml"), "cost:\n  plans: [claude-max-20x]\n"),
    );
    const s = await scan(["--from", "claude", "--path", root], {}, dir);
    expect(s.totals.costUSD).toBeCloseTo(35.3, 10);
    expect(s.totals.coveredUSD).toBe(s.totals.costUSD);
    const human = await longrunAsync(["cost", "scan", "--from", "claude", "--path", root, "--dir", dir], {
      env: { TZ: "UTC" },
    });
    expect(human.stdout).toContain(
      "$35.30 of it is covered by Claude Max 20x ($200/month): API prices, not spend; spend beyond the plan: $0.00",
    );
  });

  test("an unpriced model: cost null and a warning naming it", async () => {
    const logs = writeLogs(tempDir("claude-"), {
      [`${P}/s.jsonl`]: [claudeLine({ model: "claude-next-9" })],
    });
    const s = await scan(["--from", "claude", "--path", logs]);
    expect(s.totals.costUSD).toBeNull();
    expect(s.warnings[0]).toMatch(/^no price for model `claude-next-9` \(150 tokens\)/);
  });

  const asUser = unprivileged();
  test.skipIf(!asUser.ok)(
    `a file that cannot be read is skipped with a warning naming it${asUser.ok ? "" : ` (skipped: ${asUser.reason})`}`,
    async () => {
      const logs = writeLogs(tempDir("claude-"), {
        [`${P}/ok.jsonl`]: [claudeLine()],
        [`${P}/locked.jsonl`]: [claudeLine({ id: "m9" })],
      });
      const locked = path.join(logs, P, "locked.jsonl");
      chmod(locked, 0o000);
      try {
        const r = await longrunAsync(["cost", "scan", "--from", "claude", "--path", logs, "--json"], {
          env: { TZ: "UTC" },
          ...(asUser.ok && asUser.uid !== undefined ? { uid: asUser.uid } : {}),
        });
        expect(r.code, r.stderr).toBe(0);
        const s = JSON.parse(r.stdout) as Scan;
        expect(s.unreadableFiles).toEqual([locked]);
        expect(s.totals.input).toBe(100);
        expect(s.warnings).toContain(
          `1 files could not be read and were skipped, e.g. ${locked} (check its permissions)`,
        );
      } finally {
        chmod(locked, 0o644);
      }
    },
  );
});

describe.concurrent("cost scan: bad input -> exit 2, one line, no file changed", () => {
  test.each([
    [["cost", "scan"], {}, /cost scan: --from is required \(one of claude, codex, opencode, pi\)/],
    [["cost", "scan", "--from", "gemini"], {}, /--from `gemini` is not one of claude, codex, opencode, pi/],
    [
      ["cost", "scan", "--from", "claude", "--path", "/nonexistent/x"],
      {},
      /--path \/nonexistent\/x: no such folder/,
    ],
    [["cost", "scan", "--from", "claude", "--path", "/tmp"], {}, /--path \/tmp holds no projects\/ folder/],
    [
      ["cost", "scan", "--from", "claude"],
      { CLAUDE_CONFIG_DIR: "/nonexistent" },
      /CLAUDE_CONFIG_DIR=\/nonexistent holds no projects\//,
    ],
    [["cost", "scan", "--from", "codex"], { CODEX_HOME: "/nonexistent" }, /no Codex logs in \/nonexistent/],
    [["cost", "scan", "--from", "pi", "--path", "/nonexistent"], {}, /no Pi logs in \/nonexistent/],
    [
      ["cost", "scan", "--from", "opencode", "--path", "/nonexistent"],
      {},
      /no OpenCode data in \/nonexistent/,
    ],
    [
      ["cost", "scan", "--from", "claude", "--since", "2026/11/20"],
      {},
      /--since `2026\/11\/20` is not a date/,
    ],
    [["cost", "scan", "--from", "claude", "--until", "2026-02-30"], {}, /--until `2026-02-30` is not a date/],
    [
      ["cost", "scan", "--from", "claude", "--since", "2026-11-21", "--until", "2026-11-20"],
      {},
      /--since 2026-11-21 is after --until 2026-11-20/,
    ],
    [
      ["cost", "scan", "--from", "claude", "--by", "week"],
      {},
      /--by `week` is not one of day, model, session, project/,
    ],
    [
      ["cost", "scan", "--from", "claude", "--timezone", "Mars/Olympus"],
      { CLAUDE_CONFIG_DIR: "" },
      /--timezone `Mars\/Olympus` is not a time zone/,
    ],
  ] as const)("%j", async (args, env, message) => {
    const dir = freshRepo();
    const before = snapshot(dir);
    const logs = env === undefined ? {} : env;
    const r = await longrunAsync([...args, "--dir", dir], { env: { ...logs, HOME: tempDir("home-") } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("cost scan: one response's lines", () => {
  test("merge only where consecutive: a copy read the slow way in between keeps its place in a tie", async () => {
    // the middle copy's request id is written with an escape (the same string, read by JSON.parse)
    const escaped = claudeLine({
      output: 20,
      model: "claude-opus-4-6",
      ts: "2026-11-20T10:00:01.000Z",
    }).replace('"requestId":"req_1"', '"requestId":"req\\u005f1"');
    expect(escaped).toContain("req\\u005f1");
    const logs = writeLogs(tempDir("claude-"), {
      [`${P}/s.jsonl`]: [
        claudeLine({ output: 10 }),
        escaped,
        claudeLine({ output: 20, ts: "2026-11-20T10:00:02.000Z" }), // ties the middle one: the first wins
        claudeLine({ id: "m2", req: "r2", output: 5 }),
        claudeLine({ id: "m2", req: "r2", output: 7, sidechain: true }), // not the same: main beats sidechain
        claudeLine({ id: "m2", req: "r2", output: 6 }),
      ],
    });
    const s = await scan(["--from", "claude", "--path", logs, "--by", "model"]);
    expect(s.rows.map((r) => r.key)).toEqual(["claude-opus-4-6", "claude-sonnet-4-5-20250929"]);
    expect(s.totals).toMatchObject({ input: 200, output: 20 + 6 });
    expect(s).toMatchObject({ entries: 6, duplicates: 4 }); // 2 copies, a main copy, the sidechain replay
  });
});

describe("cost scan in worker threads", () => {
  test("gives exactly what one thread gives (results are combined in file order)", async () => {
    const files: Record<string, string[]> = {};
    for (let i = 0; i < 12; i++)
      files[`${P}/s${i}.jsonl`] = [
        claudeLine({ id: `m${i}`, req: `r${i}`, input: i, output: 1 }),
        claudeLine({ id: "shared", req: "r", input: 5, output: i }), // the largest copy wins: output 11
        claudeLine({ id: "tie", req: "t", input: 1, output: 1, session: `s${i}` }),
      ];
    const logs = writeLogs(tempDir("claude-"), files);
    const one = await longrunAsync(
      ["cost", "scan", "--from", "claude", "--path", logs, "--json", "--by", "session"],
      {
        env: { TZ: "UTC", LONGRUN_SCAN_WORKERS: "0" },
      },
    );
    const three = await longrunAsync(
      ["cost", "scan", "--from", "claude", "--path", logs, "--json", "--by", "session"],
      {
        env: { TZ: "UTC", LONGRUN_SCAN_WORKERS: "3" },
      },
    );
    expect(three.code, three.stderr).toBe(0);
    expect(JSON.parse(three.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout)).toMatchObject({
      totals: { input: 66 + 5 + 1, output: 12 + 11 + 1 },
      duplicates: 22,
    });
  });
});
