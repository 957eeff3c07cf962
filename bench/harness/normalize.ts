// One measurement in its own process (so peak memory is its own): stream a recorded CLI stdout file
// through the strict JSONL framer and either longrun's normalizer for that CLI or plain JSON.parse.
// Prints one JSON line: { mode, cli, bytes, lines, events, seconds, mbPerSecond, maxRssMiB }.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { LineFramer } from "../../src/core/jsonl.ts";
import { claudeNormalizer } from "../../src/harness/claude.ts";
import { codexNormalizer } from "../../src/harness/codex.ts";
import { commandNormalizer } from "../../src/harness/command.ts";
import { opencodeNormalizer } from "../../src/harness/opencode.ts";
import { piNormalizer } from "../../src/harness/pi.ts";
import type { Normalizer } from "../../src/harness/session.ts";

const [cli = "pi", file = "", mode = "normalize"] = process.argv.slice(2);
const normalizers: Record<string, () => Normalizer> = {
  pi: () => piNormalizer(),
  codex: () => codexNormalizer(null),
  claude: () => claudeNormalizer(null),
  opencode: () => opencodeNormalizer(null),
  command: () => commandNormalizer(),
};
const make = normalizers[cli];
if (!make) throw new Error(`no normalizer for ${cli}`);
const n = make();
const framer = new LineFramer();
let lines = 0;
let events = 0;
const handle = (line: string) => {
  lines++;
  if (line === "") return;
  if (mode === "json") {
    try {
      JSON.parse(line);
      events++;
    } catch {
      // counted as a line only
    }
  } else events += n.line(line).length;
};
const started = performance.now();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }))
  for (const l of framer.push(chunk as Buffer)) handle(l);
for (const l of framer.end()) handle(l);
const seconds = (performance.now() - started) / 1000;
const bytes = (await stat(file)).size;
const maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({ mode, cli, bytes, lines, events, seconds, mbPerSecond: bytes / 1e6 / seconds, maxRssMiB }),
);
