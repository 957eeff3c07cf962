// A run journal larger than one JavaScript string can hold (~512 MB) is still read whole, line by line:
// the supervisor resumes from it and `status` shows it (it used to come back empty, silently).
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { readJournal } from "../../src/store/run-journal.ts";

const repo = mkdtempSync(path.join(os.tmpdir(), "longrun-journal-large-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

test("a 530 MB journal is read to its last line", () => {
  const id = "20261126T000000000Z-big0";
  const dir = path.join(repo, ".longrun", "runs", id);
  mkdirSync(dir, { recursive: true });
  const fd = openSync(path.join(dir, "events.jsonl"), "w");
  const text = "x".repeat(1 << 20);
  const lines = 530;
  for (let i = 0; i < lines; i++)
    writeSync(fd, `${JSON.stringify({ v: 1, runId: "s", seq: i, type: "message", text })}\n`);
  writeSync(fd, `${JSON.stringify({ v: 1, type: "loop", runId: id, seq: 0, step: "end" })}\n`);
  closeSync(fd);
  let n = 0;
  let last: Record<string, unknown> | undefined;
  for (const l of readJournal(repo, id)) {
    n++;
    last = l;
  }
  expect(n).toBe(lines + 1);
  expect(last).toMatchObject({ type: "loop", step: "end" });
}, 120_000);
