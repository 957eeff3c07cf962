/**
 * The text the cost-scan generator puts in agent logs: prompts, answers, thinking, shell commands, and pools
 * of file contents and command output (test runs, builds, diffs) with CJK text and emoji here and there, as
 * real sessions carry them. Built once per run from a seed; lines then pick from the pools.
 */

export const PROMPTS = [
  "Fix the failing test in the upload client and explain the cause.",
  "Add retries with jitter to the webhook handler; keep the public API.",
  "Refactor the config loader into smaller modules and add tests.",
  "Why is the nightly batch slow? Profile it and propose a fix.",
  "ログインのテストが落ちている。原因を調べて直して。",
  "请把 README 的安装步骤更新一下，并检查示例是否还能运行。",
  "Migrate the session store to the new schema 🚀 and write the migration.",
  "Review the diff of the billing export and list the risky parts.",
  "Make the CLI print one line per error with file:line:col.",
  "The search index drops accents (café → cafe). Keep them and add a test.",
  "테스트가 가끔 실패합니다. 경쟁 조건이 있는지 확인해 주세요.",
  "Split the 900-line report renderer; one concept per file.",
  "Add a --json flag to `status` with a stable, documented shape ✅",
  "Stream the CSV import instead of reading it whole; memory blows up at 2 GB.",
];

export const ANSWERS = [
  "The test fails because the retry loop reuses a closed socket. I changed it to open a new connection per attempt and added a test that closes the socket mid-request.",
  "Done. The loader is now three modules (read, validate, merge); each has its tests. No public function changed its signature.",
  "I profiled the batch: 71% of the time is JSON.parse of the same manifest, once per row. Parsing it once brings the run from 14 min to 2 min.",
  "修正しました。原因はタイムゾーンの扱いで、UTC と JST の変換が二重になっていました。テストを追加しています ✅",
  "已更新 README：安装步骤改为 `npm install`，示例已逐个运行通过。",
  "The migration is written and tested on a copy of production data (12,408 sessions, 0 errors) 🎉",
  "Three risky parts: the rounding of cents in `toInvoice`, the timezone of the cut-off date, and the retry that can send an export twice.",
  "All 214 tests pass. I also ran the linter; two warnings remain in generated code, which I left alone.",
  "캐시 무효화 순서가 문제였습니다. 락을 잡은 뒤에 읽도록 바꿨고, 재현 테스트를 추가했습니다.",
  "The accents are kept now: the tokenizer used NFKD and dropped combining marks. I switched to NFC and added café, naïve and Ångström to the tests.",
];

export const THOUGHTS = [
  "Let me look at how the retry is wired before changing anything. The socket is created once in the constructor, so a retry after a reset reuses it.",
  "The user wants the public API unchanged. I should add the option with a default that keeps the current behaviour.",
  "First run the failing test alone to see the real error, then read the code path it exercises.",
  "この関数はタイムゾーンを二回変換している可能性がある。テストで確認しよう。",
  "The profile says most of the time is in JSON.parse; the manifest is parsed per row. Hoist it.",
  "I need to check whether the migration is idempotent: running it twice must not duplicate rows.",
];

export const COMMANDS = [
  "npm test -- --run test/upload.test.ts",
  "npx vitest run --reporter=verbose",
  "git status --short && git diff --stat",
  "rg -n 'retryDelay' src/",
  "npm run build 2>&1 | tail -40",
  "ls -la src/config/",
  "git log --oneline -20",
  "cat package.json",
  "npx tsc --noEmit -p tsconfig.json",
  "cargo test --workspace 2>&1 | tail -60",
  "pytest -q tests/test_billing.py",
  "node scripts/profile.mjs --rows 100000",
];

export const PROJECTS = [
  "api-server",
  "web-app",
  "billing",
  "infra",
  "docs-site",
  "mobile",
  "data-pipeline",
  "cli-tools",
  "search",
  "auth-service",
  "design-system",
  "ml-notebooks",
  "payments",
  "edge-proxy",
  "analytics",
  "admin",
];

const CODE = [
  "export function parseConfig(text: string): Config {",
  "  const raw = JSON.parse(text) as Partial<Config>;",
  "  if (!raw.endpoint) throw new Error('missing endpoint in ' + file);",
  "  // 再試行の間隔は指数的に伸ばす（上限 30 秒）",
  "  const delay = Math.min(30_000, base * 2 ** attempt) * (0.5 + Math.random());",
  "  for (const row of rows) totals[row.day] = (totals[row.day] ?? 0) + row.amount;",
  "  return { ...defaults, ...raw, retries: raw.retries ?? 3 };",
  "}",
  "",
  "import { readFile } from 'node:fs/promises';",
  "// 注意：这里的金额单位是分，不是元",
  "const cents = Math.round(amount * 100);",
  "  await writeFile(tmp, body); await rename(tmp, target);",
  "  logger.info({ tenant, rows: rows.length }, 'import finished ✅');",
  "describe('uploadClient', () => {",
  "  it('retries after a reset', async () => {",
  "    expect(await client.put(blob)).toEqual({ ok: true, attempts: 2 });",
  "  });",
  "});",
];

const TEST_LINES = [
  " ✓ test/upload.test.ts > uploadClient > retries after a reset 12ms",
  " ✓ test/config.test.ts > parseConfig > keeps unknown keys 3ms",
  " ✓ test/i18n.test.ts > ログイン画面 > 日本語のエラーメッセージを表示する 8ms",
  " ✓ test/i18n.test.ts > 结算 > 金额以分为单位 4ms",
  " × test/session.test.ts > store > survives a concurrent write 5012ms",
  "   → expected 2 to equal 1",
  " ✓ test/search.test.ts > tokenizer > keeps café and naïve 2ms",
  " ✓ test/report.test.ts > renderer > draws 🚀 in the header 6ms",
  "   Compiling billing v0.4.2 (/home/dev/src/billing)",
  "warning: unused variable: `attempt`",
  "    Finished test [unoptimized + debuginfo] target(s) in 14.21s",
  "PASS  tests/test_billing.py::test_rounding_of_cents",
  "FAIL  tests/test_billing.py::test_cutoff_timezone - AssertionError: 2025-10-01 != 2025-09-30",
  "src/config/load.ts:41:7 - error TS2322: Type 'string | undefined' is not assignable to type 'string'.",
  "M  src/upload/client.ts",
  "?? test/upload-retry.test.ts",
  "a1b2c3d Retry uploads with jitter (closes #412)",
  "drwxr-xr-x  5 dev dev   4096 Oct  1 09:30 src",
  "-rw-r--r--  1 dev dev  18231 Oct  1 09:30 package-lock.json",
  "[2025-10-01T09:30:12Z] INFO import tenant=acme rows=120000 elapsed=1.9s",
];

/** `lines` picked from `from`, numbered like `cat -n` when `numbered` (Claude's Read output uses "→"). */
function block(r, from, lines, numbered) {
  const out = [];
  for (let i = 1; i <= lines; i++) {
    const line = r.pick(from);
    out.push(numbered ? `${String(i).padStart(6)}→${line}` : line);
  }
  return out.join("\n");
}

/**
 * Pools drawn from `r`: source files (for Read/Edit results), command outputs (for shell results) and the
 * long instruction texts Codex repeats at the head of every rollout. Sizes spread from a few hundred bytes
 * to ~150 KB, most of them small.
 */
export function textPools(r) {
  const files = [];
  for (let i = 0; i < 48; i++) {
    const lines = r.lognormal(120, 1, 8, 1800);
    const content = block(r, CODE, lines, false);
    files.push({
      path: `src/${r.pick(PROJECTS)}/${r.pick(["index", "load", "client", "store"])}.ts`,
      lines,
      content,
    });
  }
  const outputs = [];
  for (let i = 0; i < 64; i++) {
    let out = block(r, TEST_LINES, r.lognormal(30, 1.3, 1, 3000), false);
    // Real tool output carries U+2028 and friends now and then: legal inside JSON strings, a trap for
    // anything that splits lines on more than "\n".
    if (i % 16 === 5) out += "\nprinted by a test:\u2028line separator\u2029paragraph separator";
    outputs.push(out);
  }
  const sentences = [...ANSWERS, ...THOUGHTS, ...PROMPTS];
  const prose = (n) => Array.from({ length: n }, () => r.pick(sentences)).join(" ");
  return {
    files,
    outputs,
    /** Codex's base instructions (~20 KB in 0.169.0's session_meta). */
    baseInstructions: `You are a coding agent running in the Codex CLI, a terminal-based coding assistant.\n\n${prose(110)}`,
    /** The skills / permissions developer message (~3 KB). */
    developerText: `<skills_instructions>\n## Skills\n${prose(16)}\n</skills_instructions>`,
    /** Claude's skill_listing attachment (~3 KB). */
    skillListing: `- deep-research: ${prose(6)}\n- update-config: ${prose(6)}\n- keybindings-help: ${prose(4)}`,
    prose,
    /** Random base64-like text to slice thinking signatures and encrypted reasoning from. */
    blob: r.base62(65_536),
  };
}
