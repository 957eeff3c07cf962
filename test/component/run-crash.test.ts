// kill -9 of `longrun run` at many random moments, each followed by `longrun run`: the same run resumes,
// and at the end nothing is duplicated or lost, every file is valid, and no process of the run is left.
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, describe, expect, test } from "vitest";
import { processesOfLoop } from "../kit/processes.ts";
import { BIN, cleanup, longrunAsync, NODE, tempRoot, testEnv } from "./cli.ts";
import { commits, git, journal, logEvents, loopRepo, runIds, steps, task } from "./loop-kit.ts";

afterAll(cleanup);

const TASKS = `  - task_id: T001
    title: One
    acceptance_criteria:
      - text: f1 says one
        check: grep -q one f1
    status: not_started
  - task_id: T002
    title: Two
    depends_on: [T001]
    acceptance_criteria:
      - text: f2 says two
        check: grep -q two f2
    status: not_started
  - task_id: T003
    title: Three
    acceptance_criteria:
      - text: f3 says three
        check: grep -q three f3
    status: not_started
`;

// The first session on T002 writes the wrong thing (a failed attempt); each session starts a tool process
// that escapes into a session of its own, and takes a moment.
const AGENT = `n=$(cat "$AGENT_HOME/n-$LONGRUN_TASK_ID" 2>/dev/null || echo 0); echo $((n+1)) > "$AGENT_HOME/n-$LONGRUN_TASK_ID"
setsid sleep 60 </dev/null >/dev/null 2>&1 &
sleep 0.2
echo '{"type":"usage","scope":"request","usage":{"input":10,"output":5,"model":"gpt-5.2"}}'
case $LONGRUN_TASK_ID in T001) echo one > f1;; T002) if [ "$n" -ge 1 ]; then echo two > f2; else echo bad > f2; fi;; T003) echo three > f3;; esac`;

function start(dir: string): { child: ChildProcess; exit: Promise<number | null>; out: () => string } {
  const child = spawn(NODE, [BIN, "run", "--dir", dir], {
    cwd: tempRoot(),
    env: testEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    out += c;
  });
  const exit = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { child, exit, out: () => out };
}

describe("crash safety", () => {
  test("kill -9 at random points, then `longrun run`: the same run resumes; nothing duplicated or lost", async () => {
    let seed = Number(process.env.LONGRUN_CRASH_SEED ?? Date.now() % 100_000);
    const startSeed = seed;
    const rnd = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const started = Date.now();
    let total = 0;
    // Rounds of one fresh repo each, while the test's time budget lasts.
    for (let round = 0; Date.now() - started < 20_000; round++) {
      const kills = await crashRound(rnd, `seed ${startSeed}, round ${round}`);
      total += kills;
    }
    expect(total, `seed ${startSeed}`).toBeGreaterThanOrEqual(10);
  }, 90_000);
});

/** One repo, killed at random moments until a run finishes by itself; then every invariant is checked. */
async function crashRound(rnd: () => number, label: string): Promise<number> {
  const { dir } = loopRepo({ tasks: TASKS, agent: AGENT });
  const kills: number[] = [];
  let final: { code: number | null; out: string } | undefined;
  while (!final) {
    const p = start(dir);
    const killAt = kills.length < 12 ? Math.floor(rnd() * 1200) : null;
    const timer = killAt === null ? undefined : setTimeout(() => p.child.kill("SIGKILL"), killAt);
    const code = await p.exit;
    clearTimeout(timer);
    if (p.child.signalCode === "SIGKILL") kills.push(killAt!);
    else final = { code, out: p.out() };
  }
  const context = `${label}: kills at ${kills.join(", ")} ms\n${final.out}`;
  expect(final.code, context).toBe(0);

  // One run, resumed each time (a kill after its `end` step leaves it finished: the last `longrun run`
  // then only finishes its end and opens a new run that has nothing to do).
  const ids = runIds(dir);
  expect(ids.length, context).toBeLessThanOrEqual(2);
  if (ids.length === 2)
    expect(
      steps(dir, ids[1]).filter((x) => x.step === "iteration"),
      context,
    ).toEqual([]);
  const id = ids[0]!;
  const loop = steps(dir, id);
  expect(
    loop.map((s) => s.seq),
    context,
  ).toEqual(loop.map((_, i) => i)); // no loop event duplicated or lost
  expect(loop.filter((s) => s.step === "end")).toHaveLength(1);
  // Agent events: no line twice.
  const keys = journal(dir, id)
    .filter((l) => l.type !== "loop")
    .map((l) => `${l.runId}:${l.seq}`);
  expect(new Set(keys).size, context).toBe(keys.length);
  // Iterations: each number started once; each ended at most once.
  const its = loop.filter((s) => s.step === "iteration").map((s) => s.n);
  expect(new Set(its).size, context).toBe(its.length);
  const ends = loop.filter((s) => s.step === "iteration_end").map((s) => s.n);
  expect(new Set(ends).size, context).toBe(ends.length);

  // Tasks: all complete, none lost; each checkpoint once, matching its journal step.
  for (const t of ["T001", "T002", "T003"])
    expect((await task(dir, t)).status, `${t} ${context}`).toBe("complete");
  expect(commits(dir).slice().sort(), context).toEqual(
    ["longrun: T001 One", "longrun: T002 Two", "longrun: T003 Three", "start"].sort(),
  );
  const committed = loop.filter((s) => s.step === "committed").map((s) => s.sha as string);
  expect(committed.sort(), context).toEqual(git(dir, "log", "--format=%H", "-3").trim().split("\n").sort());
  const events = logEvents(dir);
  expect(events.filter((e) => /^evidence: T00\d complete/.test(e)).length, context).toBe(3);
  expect(events.filter((e) => /^decision: T00\d started/.test(e)).length, context).toBe(3);
  expect(events.filter((e) => e.startsWith("evidence: run ended: every task")).length, context).toBe(
    ids.length,
  );

  // Files valid, tree clean apart from the memory files, nothing of the run still running.
  expect((await longrunAsync(["check", "--dir", dir])).code, context).toBe(0);
  expect(git(dir, "status", "--porcelain", "--untracked-files=all"), context).toMatch(
    /^( M (checklist\.yaml|run-log\.md)\n)*$/,
  );
  expect(processesOfLoop(id), context).toEqual([]);
  return kills.length;
}
