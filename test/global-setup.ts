// Runs once before the suite: the component tests spawn the built CLI, so it must exist and be fresh.
// `npm test` builds in `pretest`; this guards direct `npx vitest` runs.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export default function setup(): void {
  if (!existsSync(new URL("../dist/cli/main.js", import.meta.url)) || process.env.LONGRUN_TEST_BUILD) {
    execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
  }
}
