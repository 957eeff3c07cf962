// The dash's young generation stays small under a fold's allocation pattern (many short-lived objects, a
// window of recent ones alive): measured in a child process, since the flag is process-wide.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const heap = fileURLToPath(new URL("../../src/dash/heap.ts", import.meta.url));
const CHILD = `
const { getHeapSpaceStatistics } = await import("node:v8");
const { keepYoungGenerationSmall } = await import(process.argv[1]);
if (process.argv[2] === "small") keepYoungGenerationSmall();
const window = new Array(4000);
for (let i = 0; i < 150000; i++) window[i % window.length] = JSON.parse(\`{"i":\${i},"t":"\${"é".repeat(300)}"}\`);
const young = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
process.stdout.write(String(young.space_size / 2 ** 20));
`;
const youngMiB = (mode: string) =>
  Number(
    execFileSync(process.execPath, ["--input-type=module", "-e", CHILD, heap, mode], { encoding: "utf8" }),
  );

const COLLECT = `
const { fullCollection } = await import(process.argv[1]);
const collect = fullCollection();
let keep = [];
for (let i = 0; i < 200000; i++) keep.push({ i, t: "x".repeat(50) + i });
const used = () => process.memoryUsage().heapUsed;
const before = used();
keep = null;
collect();
process.stdout.write(String((before - used()) / 2 ** 20));
`;

describe("fullCollection", () => {
  test("collects what is no longer reachable, at once", () => {
    const freed = Number(
      execFileSync(process.execPath, ["--input-type=module", "-e", COLLECT, heap], { encoding: "utf8" }),
    );
    expect(freed).toBeGreaterThan(10);
  });
});

describe("keepYoungGenerationSmall", () => {
  test("the young generation stays at its starting size where V8 would grow it", () => {
    const grown = youngMiB("default");
    const small = youngMiB("small");
    expect(grown).toBeGreaterThan(8);
    expect(small).toBeLessThanOrEqual(4);
  });
});
