#!/usr/bin/env node
/**
 * A fake agent CLI for fast tests of longrun's process handling. Env knobs:
 *
 * | variable                 | effect                                                                  |
 * | ------------------------ | ----------------------------------------------------------------------- |
 * | FAKE_AGENT_SCRIPT        | path of a JSONL file; each line is printed to stdout as is (+ "\n")      |
 * | FAKE_AGENT_DELAY_MS      | pause between lines                                                     |
 * | FAKE_AGENT_SPLIT_UTF8=1  | each line goes out in two writes, cut inside its first multi-byte char  |
 * | FAKE_AGENT_GARBAGE=1     | one non-JSON line after the first line                                  |
 * | FAKE_AGENT_HANG=1        | after the first line: start `setsid sleep 300` (new session, inherited  |
 * |                          | env, its pid on stderr), then hang forever                              |
 * | FAKE_AGENT_CRASH=1       | after the first line: die of an uncaught error (exit 1, stack on stderr) |
 * | FAKE_AGENT_EXIT=<code>   | exit code after the last line (default 0)                               |
 * | FAKE_AGENT_STDERR=<text> | written to stderr (+ "\n") at start                                     |
 * | FAKE_AGENT_READ_STDIN=1  | read stdin to EOF first, print it as {"type":"message","text":…}        |
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const env = process.env;
const delayMs = Number(env.FAKE_AGENT_DELAY_MS ?? 0);

/** Write and wait until the bytes are handed to the OS. */
const write = (chunk) => new Promise((resolve) => process.stdout.write(chunk, resolve));

/** Byte offset just after the lead byte of the first multi-byte character, or the middle. */
function cutInsideChar(buf) {
  const lead = buf.findIndex((b) => b >= 0xc0);
  return lead >= 0 ? lead + 1 : Math.floor(buf.length / 2);
}

async function emit(line) {
  const buf = Buffer.from(`${line}\n`, "utf8");
  if (env.FAKE_AGENT_SPLIT_UTF8 !== "1") return write(buf);
  const cut = cutInsideChar(buf);
  await write(buf.subarray(0, cut));
  await sleep(50); // so the reader gets two chunks, not one
  await write(buf.subarray(cut));
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

/** A tool-like child that escapes the process group: a new session, the inherited environment. */
function escapeChild() {
  const child = spawn("setsid", ["sleep", "300"], { stdio: "ignore", env: process.env });
  process.stderr.write(`fake-agent: spawned setsid sleep 300 (pid ${child.pid})\n`);
  child.unref();
}

async function main() {
  if (env.FAKE_AGENT_STDERR) process.stderr.write(`${env.FAKE_AGENT_STDERR}\n`);
  if (env.FAKE_AGENT_READ_STDIN === "1") {
    await emit(JSON.stringify({ type: "message", text: await readStdin() }));
  }
  const text = env.FAKE_AGENT_SCRIPT ? readFileSync(env.FAKE_AGENT_SCRIPT, "utf8") : "";
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  if (lines.length > 0) await emit(lines[0]);
  // After the first line (or at once when there is none): the knobs that break the run.
  if (env.FAKE_AGENT_GARBAGE === "1") await emit("this is not JSON {oops");
  if (env.FAKE_AGENT_HANG === "1") {
    escapeChild();
    setInterval(() => {}, 1 << 30);
    return;
  }
  if (env.FAKE_AGENT_CRASH === "1") {
    setImmediate(() => {
      throw new Error("fake agent crashed");
    });
    return;
  }
  for (const line of lines.slice(1)) {
    if (delayMs > 0) await sleep(delayMs);
    await emit(line);
  }
  if (env.FAKE_AGENT_EXIT) process.exitCode = Number(env.FAKE_AGENT_EXIT);
}

await main();
