/** Timing of one command line: wall time of a child process, its exit code, and the median of several runs. */
import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";

/**
 * Run `argv` once in `cwd` and time it (spawn to exit, stdout read through a pipe as a pager would).
 * `before` runs first, untimed (e.g. to empty a cache). The child's stderr and the head of its stdout
 * go to `log`.
 */
export function timeOnce({ argv, cwd, env, log, label, before }) {
  before?.();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stdout = r.stdout?.toString("utf8") ?? "";
  const stderr = r.stderr?.toString("utf8") ?? "";
  if (log)
    appendFileSync(
      log,
      `\n### ${label} (${seconds.toFixed(3)} s, exit ${r.status ?? r.signal ?? r.error?.message})\n$ ${argv.join(" ")}\n` +
        `--- stdout (${stdout.length} chars; first 1500) ---\n${stdout.slice(0, 1500)}\n--- stderr ---\n${stderr.slice(0, 4000)}\n`,
    );
  return { seconds, status: r.status, error: r.error?.message, stdout, stderrBytes: stderr.length };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time several commands in rounds, one sample of each per round (a command with fewer runs is spread over
 * the rounds), so that a change of machine load during the run falls on all of them alike. Returns, per
 * key, the median, the samples and the last run.
 */
export function interleave(specs) {
  const rounds = Math.max(...specs.map((s) => s.runs));
  const samples = new Map(specs.map((s) => [s.key, []]));
  const last = new Map();
  for (let r = 0; r < rounds; r++)
    for (const s of specs) {
      if (Math.floor(((r + 1) * s.runs) / rounds) === Math.floor((r * s.runs) / rounds)) continue;
      const x = timeOnce({ ...s, label: `${s.label} #${samples.get(s.key).length + 1}` });
      if (x.status !== 0) throw new Error(`${s.label} exited ${x.status ?? x.error}; see the log ${s.log}`);
      samples.get(s.key).push(x.seconds);
      last.set(s.key, x);
    }
  return Object.fromEntries(
    specs.map((s) => {
      const xs = samples.get(s.key);
      return [
        s.key,
        {
          median: median(xs),
          min: Math.min(...xs),
          samples: xs,
          stdoutBytes: last.get(s.key).stdout.length,
          last: last.get(s.key),
        },
      ];
    }),
  );
}
