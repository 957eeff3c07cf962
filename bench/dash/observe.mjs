#!/usr/bin/env node
/**
 * A reader of the live journal that notes when each line reached it, in its own process (so the bench's
 * other work cannot delay it). Two kinds:
 *
 *   node bench/dash/observe.mjs sse URL OUT    the dash's /api/stream (Server-Sent Events) with a plain
 *                                               HTTP client: what the server delivers, without a page
 *   node bench/dash/observe.mjs tail FILE OUT  `tail -n +1 -F FILE` (GNU tail follows with inotify): the
 *                                               peer, a line's time from the write to a reader's pipe
 *
 * Times are taken when a chunk arrives, before any parsing. On SIGTERM it writes OUT: `[[n, ms], ...]`
 * (n: the journal line's number from 0, as the dash's rows carry it; ms: Date.now() at arrival) and exits.
 * It prints "ready" once connected (sse: the stream's first event; tail: at once).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { StringDecoder } from "node:string_decoder";

const [kind, target, out] = process.argv.slice(2);
const got = [];
let stop = () => {};
process.on("SIGTERM", () => {
  stop();
  writeFileSync(out, JSON.stringify(got));
  process.exit(0);
});

/** Calls `onPart(text, ms)` with each complete `sep`-ended part of a byte stream. */
function framer(sep, onPart) {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  return (chunk) => {
    const ms = Date.now();
    rest += decoder.write(chunk);
    let at = rest.indexOf(sep);
    while (at !== -1) {
      onPart(rest.slice(0, at), ms);
      rest = rest.slice(at + sep.length);
      at = rest.indexOf(sep);
    }
  };
}

if (kind === "sse") {
  const req = http.get(target, (res) => {
    if (res.statusCode !== 200) {
      process.stderr.write(`observe: ${target}: HTTP ${res.statusCode}\n`);
      process.exit(1);
    }
    let ready = false;
    res.on(
      "data",
      framer("\n\n", (block, ms) => {
        if (!ready) {
          ready = true;
          process.stdout.write("ready\n");
        }
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event !== "rows" && event !== "reset") return;
        const data = block
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        const rows = JSON.parse(data);
        for (const r of event === "reset" ? rows.feed : rows) got.push([r.n, ms]);
      }),
    );
  });
  req.on("error", (err) => {
    process.stderr.write(`observe: ${target}: ${err.message}\n`);
    process.exit(1);
  });
  stop = () => req.destroy();
} else if (kind === "tail") {
  const tail = spawn("tail", ["-n", "+1", "-F", target], { stdio: ["ignore", "pipe", "ignore"] });
  // Only the line count matters: count the newlines of each chunk, no decoding.
  let n = 0;
  tail.stdout.on("data", (chunk) => {
    const ms = Date.now();
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) got.push([n++, ms]);
  });
  stop = () => tail.kill();
  process.stdout.write("ready\n");
} else {
  process.stderr.write("usage: observe.mjs sse URL OUT | tail FILE OUT\n");
  process.exit(2);
}
