// `longrun exec` from the command line, driving each real agent CLI at the scripted model server.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { findBinary } from "../../src/exec/find-binary.ts";
import { cleanup, freshRepo, longrunAsync } from "../component/cli.ts";
import { shellCall, startModelServer } from "../kit/model-server.ts";

afterAll(cleanup);
const ROOT = path.resolve(import.meta.dirname, "../..");

describe.each(["pi", "codex", "claude", "opencode"] as const)(
  "longrun exec --harness %s --base-url",
  (cli) => {
    test.skipIf(!findBinary(cli, ROOT))(
      `a tool call writes the file; the trace ends ok with the served tokens${findBinary(cli, ROOT) ? "" : " (skipped: not installed)"}`,
      async () => {
        const server = await startModelServer([
          { ...shellCall(cli, "echo fixed > fix.txt"), usage: { input: 900, cachedInput: 300, output: 40 } },
          { text: "I wrote fix.txt.", usage: { input: 1000, cachedInput: 900, output: 10 } },
        ]);
        try {
          const dir = freshRepo();
          const r = await longrunAsync(
            [
              "exec",
              "--dir",
              dir,
              "--harness",
              cli,
              "--model",
              "mock-model",
              "--base-url",
              `${server.url}/v1/`,
              "Write fix.txt",
            ],
            { timeoutMs: 60_000 },
          );
          expect(r.code, r.stderr).toBe(0);
          expect(readFileSync(path.join(dir, "fix.txt"), "utf8").trim()).toBe("fixed");
          const lines = r.stdout.trim().split("\n");
          expect(lines[0]).toMatch(new RegExp(`^> ${cli} \\(mock-model\\)`));
          expect(lines).toContain("  I wrote fix.txt.");
          expect(lines.at(-2)).toMatch(
            /^ok: the session ended normally \(\d+\.\ds; tokens: 1900 in, 1200 cached, 50 out\)$/,
          );
        } finally {
          await server.close();
        }
      },
    );
  },
);
