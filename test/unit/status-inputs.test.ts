// The stamps `status --watch` polls: each input moves its own stamp and no other; a dead run holder moves the lock's.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { type StatusStamps, statusInputs } from "../../src/store/status-inputs.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "longrun-stamps-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The names of the stamps that differ between `a` and `b`. */
const moved = (a: StatusStamps, b: StatusStamps) =>
  (Object.keys(a) as (keyof StatusStamps)[]).filter((k) => a[k] !== b[k]).sort();

/** Past the window in which a fresh file time is not trusted. */
const still = () => new Promise((r) => setTimeout(r, 150));

test("each file status reads moves only its own stamp; an unchanged repo keeps every stamp", async () => {
  const dir = mkdtempSync(path.join(root, "repo-"));
  const stamp = statusInputs(dir);
  const steps: [string, () => void, (keyof StatusStamps)[]][] = [
    ["checklist", () => writeFileSync(path.join(dir, "checklist.yaml"), "tasks: []\n"), ["checklist"]],
    ["run log", () => writeFileSync(path.join(dir, "run-log.md"), "# Run log\n"), ["runLog"]],
    ["config", () => mkdirSync(path.join(dir, ".longrun")), []],
    ["config", () => writeFileSync(path.join(dir, ".longrun", "config.yaml"), "budgets: {}\n"), ["config"]],
    ["pause", () => mkdirSync(path.join(dir, ".longrun", "control")), ["control"]],
    ["pause", () => writeFileSync(path.join(dir, ".longrun", "control", "pause"), ""), ["control"]],
    ["runs", () => mkdirSync(path.join(dir, ".longrun", "runs", "r1"), { recursive: true }), ["runs"]],
    [
      "journal",
      () => writeFileSync(path.join(dir, ".longrun", "runs", "r1", "events.jsonl"), "{}\n"),
      ["runs"],
    ],
  ];
  let last = stamp();
  expect(moved(last, stamp())).toEqual([]);
  for (const [what, change, expected] of steps) {
    change();
    await still();
    const now = stamp();
    expect(moved(last, now), what).toEqual(expected);
    last = now;
  }
});

test("a file written twice within the file clock's tick, same size, still moves the stamp (racy stat)", async () => {
  const dir = mkdtempSync(path.join(root, "repo-"));
  const file = path.join(dir, "checklist.yaml");
  const stamp = statusInputs(dir);
  writeFileSync(file, "tasks: []\n");
  const first = stamp();
  writeFileSync(file, "tasks: {}\n"); // same size, very likely the same mtime
  const second = stamp();
  expect(moved(first, second)).toEqual(["checklist"]);
  await still();
  const settled = stamp();
  expect(moved(second, settled)).toEqual(["checklist"]);
  expect(moved(settled, stamp())).toEqual([]);
});

test("the run lock's stamp moves when its holder dies, with no file changed", async () => {
  const dir = mkdtempSync(path.join(root, "repo-"));
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const gone = new Promise((r) => child.on("exit", r));
  mkdirSync(path.join(dir, ".longrun", "locks"), { recursive: true });
  writeFileSync(path.join(dir, ".longrun", "locks", "run.json"), JSON.stringify({ pid: child.pid }));
  const stamp = statusInputs(dir);
  const alive = stamp();
  expect(alive.lock).toMatch(/:true$/);
  child.kill("SIGKILL");
  await gone;
  expect(stamp().lock).toMatch(/:false$/);
  expect(moved(alive, stamp())).toEqual(["lock"]);
});
