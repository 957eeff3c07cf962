import { mkdirSync, readFileSync, utimesSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, freshRepo, longrunAsync } from "./cli.ts";

afterAll(cleanup);

describe.concurrent("concurrent edits", () => {
  test("20 concurrent `task note` processes leave all 20 notes and a valid file", async () => {
    const dir = freshRepo();
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        longrunAsync(["task", "note", "T001", `note ${i + 1}`, "--dir", dir], { timeoutMs: 50_000 }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const show = await longrunAsync(["task", "show", "T001", "--json", "--dir", dir]);
    const note = (JSON.parse(show.stdout) as { task: { note: string } }).task.note;
    const lines = note.split("\n").sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    expect(lines).toEqual(Array.from({ length: 20 }, (_, i) => `note ${i + 1}`));
    const check = await longrunAsync(["check", "--dir", dir]);
    expect(check.code, check.stdout).toBe(0);
  });

  test("10 concurrent `log add` leave 10 events; earlier lines untouched", async () => {
    const dir = freshRepo();
    const file = path.join(dir, "run-log.md");
    const before = readFileSync(file, "utf8");
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        longrunAsync(["log", "add", "--tag", "note", `event ${i + 1}`, "--dir", dir], { timeoutMs: 50_000 }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const after = readFileSync(file, "utf8");
    // Everything up to the end of the first event is a byte prefix of the new file.
    const firstEventEnd = before.indexOf("\n", before.indexOf("\n- ") + 1) + 1;
    expect(after.slice(0, firstEventEnd)).toBe(before.slice(0, firstEventEnd));
    expect(after.endsWith(before.slice(before.indexOf("\n## Follow-ups")))).toBe(true);
    const log = await longrunAsync(["log", "--json", "--dir", dir]);
    const texts = (JSON.parse(log.stdout) as { events: { text: string }[] }).events.map((e) => e.text);
    expect(texts).toHaveLength(11);
    expect(texts[0]).toBe("run log created by longrun init");
    expect(texts.slice(1).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))).toEqual(
      Array.from({ length: 10 }, (_, i) => `event ${i + 1}`),
    );
    expect((await longrunAsync(["check", "--dir", dir])).code).toBe(0);
  });

  test("a stale lock left by a killed process does not block an edit", async () => {
    const dir = freshRepo();
    const lock = path.join(dir, ".longrun", "locks", "checklist.yaml.lock");
    mkdirSync(lock, { recursive: true });
    const past = new Date(Date.now() - 60_000);
    utimesSync(lock, past, past);
    const r = await longrunAsync(["task", "note", "T001", "after the crash", "--dir", dir], {
      timeoutMs: 20_000,
    });
    // A lock that were not taken over would fail the edit (ELOCKED, exit 2) after ~40 s of retries.
    expect(r.code, r.stderr).toBe(0);
    const show = await longrunAsync(["task", "show", "T001", "--json", "--dir", dir]);
    expect((JSON.parse(show.stdout) as { task: { note: string } }).task.note).toBe("after the crash");
  });
});
