// `longrun steer` into a running session: with a harness that takes messages (Pi in RPC mode), the
// message is sent into the session in flight, reaches the model's next request, and is delivered once.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { findBinary } from "../../src/exec/find-binary.ts";
import { BIN, cleanup, longrunAsync, NODE, testEnv } from "../component/cli.ts";
import { brief, git, journal, logEvents, loopRepo, run, steps } from "../component/loop-kit.ts";
import { lastEntryKind, lastUserText, startModelServer, type Turn } from "../kit/model-server.ts";

afterAll(cleanup);
const ROOT = path.resolve(import.meta.dirname, "../..");
const installed = findBinary("pi", ROOT) !== undefined;
const STEER = "STEER: also say banana";

describe.skipIf(!installed)(
  `longrun run --harness pi${installed ? "" : " (skipped: pi is not installed)"}`,
  () => {
    test("a message steered during the session is sent into it (not kept for the next brief), exactly once", async () => {
      let dir = "";
      let steered = false;
      const server = await startModelServer((req): Turn => {
        if (lastEntryKind(req) === "toolResult") return { text: "Done." };
        if (lastUserText(req) === STEER) return { text: "Done, and banana." };
        if (!steered) {
          // While the agent works (its tool takes 2 s), a person steers from another terminal.
          steered = true;
          spawnSync(NODE, [BIN, "steer", STEER, "--dir", dir], { env: testEnv(), encoding: "utf8" });
        }
        return { toolCall: { name: "bash", arguments: { command: "sleep 2 && touch done.txt" } } };
      });
      try {
        ({ dir } = loopRepo({
          tasks: `  - task_id: T001
    title: Make done.txt
    acceptance_criteria:
      - text: done.txt exists
        check: test -f done.txt
    status: not_started
`,
          agent: "true",
        }));
        const config = `harness:\n  name: pi\n  model: mock-model\n  base_url: ${server.url}/v1\n  api_key_env: PI_KEY\n  idle_timeout: 1m\n`;
        writeFileSync(path.join(dir, ".longrun", "config.yaml"), config);
        git(dir, "commit", "-qam", "pi");
        const r = await run(dir, [], { env: { PI_KEY: "none" } });
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(r.stdout).toContain(`steering sent into the session: ${STEER}`);
        const sent = steps(dir).filter((s) => s.step === "steer_sent");
        expect(sent).toEqual([expect.objectContaining({ n: 1, text: STEER })]);
        expect(
          journal(dir)
            .filter((l) => l.type === "steer")
            .map((l) => l.text),
        ).toEqual([STEER]);
        // The model saw it as the user message after the tool result, in the same session.
        const asked = server.requests.filter((q) => q.protocol !== "other");
        expect(asked.map((q) => lastUserText(q))).toContain(STEER);
        expect(brief(dir, 1)).not.toContain(STEER);
        expect(logEvents(dir).filter((e) => e.includes(STEER))).toEqual([
          `note: T001: steering sent into the session of iteration 1: ${STEER}`,
        ]);
        const status = await longrunAsync(["status", "--json", "--dir", dir]);
        expect(JSON.parse(status.stdout).steering).toEqual([]);
      } finally {
        await server.close();
      }
    }, 90_000);
  },
);
