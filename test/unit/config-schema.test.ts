import { describe, expect, test } from "vitest";
import { validateConfig } from "../../src/core/config-schema.ts";
import { formatDiagnostic } from "../../src/core/diagnostic.ts";
import { placeDiagnostics } from "../../src/core/place-diagnostics.ts";
import { configTemplate } from "../../src/core/templates/config.ts";
import { readYaml } from "../../src/core/yaml-read.ts";

function check(text: string) {
  const r = readYaml(text);
  if (!r.ok) throw new Error(`fixture does not parse: ${r.message}`);
  const v = validateConfig(r.data);
  const placed = placeDiagnostics("config.yaml", text, r.events, v.diagnostics);
  return { value: v.value, placed, short: placed.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`) };
}

describe("validateConfig", () => {
  test("the init template is valid", () => {
    const c = check(configTemplate());
    expect(c.short).toEqual([]);
    expect(c.value).toBeDefined();
  });

  test.each([
    ["an empty file is all defaults", "", {}],
    ["a comment-only file too", "# nothing yet\n", {}],
    [
      "a full config",
      [
        "harness:",
        "  name: codex",
        "  model: gpt-5",
        "  timeout: 1h30m",
        "  idle_timeout: 90s",
        "verify:",
        "  fast: [npm test]",
        "  full: [npm run check, npm test]",
        "  timeout: 10m",
        "loop:",
        "  max_attempts: 3",
        "  session: continue",
        "budgets:",
        "  max_cost_usd: 12.5",
        "  max_tokens: 1000000",
        "  max_time: 8h",
        "",
      ].join("\n"),
      {
        harness: { name: "codex", model: "gpt-5", timeout: "1h30m", idle_timeout: "90s" },
        verify: { fast: ["npm test"], full: ["npm run check", "npm test"], timeout: "10m" },
        loop: { max_attempts: 3, session: "continue" },
        budgets: { max_cost_usd: 12.5, max_tokens: 1000000, max_time: "8h" },
      },
    ],
    ["null sections are allowed", "harness:\nverify: ~\n", { harness: null, verify: null }],
    [
      "notify: a command, a webhook, chosen events",
      "notify:\n  command: notify-send longrun\n  webhook: https://hooks.example/x\n  events: [run_end, needs_human]\n",
      {
        notify: {
          command: "notify-send longrun",
          webhook: "https://hooks.example/x",
          events: ["run_end", "needs_human"],
        },
      },
    ],
  ])("%s", (_name, text, value) => {
    const c = check(text);
    expect(c.short).toEqual([]);
    expect(c.value).toEqual(value);
  });

  test.each([
    ["not a mapping", "- codex\n", ["1:1 error not-a-mapping"]],
    ["an unknown harness", "harness:\n  name: gpt\n", ["2:9 error invalid-value"]],
    ["a bad duration", "harness:\n  timeout: 5 minutes\n", ["2:12 error invalid-value"]],
    ["a number for a duration", "budgets:\n  max_time: 8\n", ["2:13 error wrong-type"]],
    ["zero attempts", "loop:\n  max_attempts: 0\n", ["2:17 error too-small"]],
    ["a negative budget", "budgets:\n  max_cost_usd: -1\n", ["2:17 error too-small"]],
    ["fractional tokens", "budgets:\n  max_tokens: 1.5\n", ["2:15 error wrong-type"]],
    ["a string for a list", "verify:\n  fast: npm test\n", ["2:9 error wrong-type"]],
    ["an empty command", "verify:\n  fast: ['']\n", ["2:11 error empty-value"]],
    ["an unknown session mode", "loop:\n  session: forever\n", ["2:12 error invalid-value"]],
    ["a zero output cap", "loop:\n  max_output_mb: 0\n", ["2:18 error too-small"]],
    ["a webhook that is not a URL", "notify:\n  webhook: hooks.example\n", ["2:12 error invalid-value"]],
    ["a webhook that is not http", "notify:\n  webhook: ftp://x.example/h\n", ["2:12 error invalid-value"]],
    ["an unknown notify event", "notify:\n  events: [task_done]\n", ["2:12 error invalid-value"]],
    ["an empty notify command", "notify:\n  command: ''\n", ["2:13 error empty-value"]],
    ["an unknown top-level key", "harnes:\n  name: codex\n", ["1:1 warning unknown-key"]],
    ["an unknown nested key", "harness:\n  modle: x\n", ["2:3 warning unknown-key"]],
    [
      "every problem at once",
      "harness:\n  name: gpt\n  modle: x\nloop:\n  max_attempts: 0\nextra: 1\n",
      [
        "2:9 error invalid-value",
        "3:3 warning unknown-key",
        "5:17 error too-small",
        "6:1 warning unknown-key",
      ],
    ],
  ])("%s", (_name, text, expected) => {
    const c = check(text);
    expect(c.short).toEqual(expected);
    expect(c.value === undefined).toBe(expected.some((e) => e.includes(" error ")));
    for (const d of c.placed) expect(d.hint).not.toBe("");
  });

  test.each([
    [
      "harness:\n  modle: x\n",
      "config.yaml:2:3: warning unknown-key: unknown key `modle` in `harness` (did you mean `model`?)",
    ],
    [
      "zzz: 1\n",
      "config.yaml:1:1: warning unknown-key: unknown key `zzz` in the config (known keys: harness, verify, loop, budgets, notify, cost)",
    ],
    [
      "loop:\n  max_attempts: 0\n",
      "config.yaml:2:17: too-small: `loop.max_attempts` must be at least 1 (use a larger number)",
    ],
    [
      "budgets:\n  max_cost_usd: 0\n",
      "config.yaml:2:17: too-small: `budgets.max_cost_usd` must be more than 0 (use a larger number)",
    ],
    [
      "harness:\n  timeout: soon\n",
      "config.yaml:2:12: invalid-value: `harness.timeout` is not a duration (write it like 90s, 30m, 8h or 1h30m)",
    ],
  ])("message for %j", (text, line) => {
    expect(check(text).placed.map(formatDiagnostic)).toEqual([line]);
  });

  test("warnings alone keep the value (unknown keys dropped)", () => {
    const c = check("harness:\n  name: pi\n  colour: red\n");
    expect(c.short).toEqual(["3:3 warning unknown-key"]);
    expect(c.value).toEqual({ harness: { name: "pi" } });
  });
});

describe("enum values are named in the message", () => {
  test("an unknown harness lists the known ones", () => {
    const line = check("harness:\n  name: cursor\n").placed.map(formatDiagnostic);
    expect(line).toEqual([
      "config.yaml:2:9: invalid-value: `harness.name` `cursor` is not one of codex, claude, opencode, pi, command (use one of those)",
    ]);
  });
});
