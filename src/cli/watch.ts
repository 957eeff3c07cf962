/**
 * `--watch`: keep a view up to date until Ctrl-C. Every interval the inputs are stamped (stat, cheap); the
 * data is loaded again only when a stamp moved. On a terminal the frame is redrawn in place; elsewhere a
 * new frame (or, with --json, one JSON line) is printed only when it changed.
 */
import { UserError } from "../core/user-error.ts";
import { ENTER, fitFrame, leave, redraw } from "./screen.ts";

export interface WatchSpec<S extends Record<string, string>, D> {
  /** Named in the header: `longrun status`. */
  title: string;
  /** The interval as the user wrote it (`1s`), for the header. */
  every: string;
  intervalMs: number;
  json: boolean;
  /** Cheap stamps of the inputs: equal stamps, same data. */
  stamp: () => S;
  /** The data; throws (UserError) on a bad input. */
  load: (stamps: S) => Promise<D>;
  /** The human view of the data at `width` columns. */
  lines: (data: D, width: number) => string[];
}

/**
 * Watch until SIGINT, SIGTERM, Ctrl-C or q (on a terminal) or a closed stdout; resolves 0. A bad input
 * at the start throws as the command would; later it is shown in the frame and the watch goes on.
 */
export async function watch<S extends Record<string, string>, D>(spec: WatchSpec<S, D>): Promise<number> {
  const stdout = process.stdout;
  const tty = !spec.json && stdout.isTTY === true;
  const stdin = process.stdin;
  const keys = tty && stdin.isTTY === true;
  let stamps = spec.stamp();
  let data = await spec.load(stamps);
  let loadedAt = new Date();
  let problem: { message: string; exitCode: number } | null = null;
  let shown: string | null = null; // non-TTY: the last frame body or JSON line printed
  let screen: string[] | null = null; // TTY: what is on the screen
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const show = () => {
    if (spec.json) {
      const text = JSON.stringify(problem ? { error: problem } : data);
      if (text !== shown) stdout.write(`${text}\n`);
      shown = text;
      return;
    }
    if (!tty) {
      const body = problem ? [`error: ${problem.message}`] : spec.lines(data, 100);
      const text = body.join("\n");
      if (text !== shown)
        stdout.write(`${shown === null ? "" : "\n"}${spec.title} at ${dateTime(new Date())}\n${text}\n`);
      shown = text;
      return;
    }
    const cols = stdout.columns || 80;
    const rows = stdout.rows || 24;
    const header = `${clock(new Date())}  ${spec.title}, every ${spec.every} · Ctrl-C to quit`;
    const stale = problem ? [`error: ${problem.message}`, `(the view below is from ${clock(loadedAt)})`] : [];
    const frame = fitFrame([header, ...stale, ...spec.lines(data, cols)], cols, rows);
    const bytes = redraw(screen, frame);
    if (bytes) stdout.write(bytes);
    screen = frame;
  };

  const tick = async () => {
    timer = undefined;
    const s = spec.stamp();
    if (Object.keys(s).some((k) => s[k] !== stamps[k])) {
      stamps = s;
      try {
        data = await spec.load(s);
        loadedAt = new Date();
        problem = null;
      } catch (err) {
        problem =
          err instanceof UserError
            ? { message: err.message, exitCode: err.exitCode }
            : { message: `internal error: ${(err as Error)?.message ?? String(err)}`, exitCode: 70 };
      }
    }
    if (stopped) return;
    show();
    timer = setTimeout(next, spec.intervalMs);
  };
  /** A tick; a bug in showing the view ends the watch with the terminal restored, then the error. */
  const next = () => {
    tick().catch(stop);
  };

  const onResize = () => {
    screen = null; // the terminal may have reflowed what was there: draw it all again
    if (stopped) return;
    try {
      show();
    } catch (err) {
      stop(err);
    }
  };
  const onKey = (b: Buffer) => {
    if (b.includes(0x03) || b.includes(0x04) || /q/i.test(b.toString("latin1"))) stop();
  };

  let finish: (code: number) => void = () => {};
  let fail: (err: unknown) => void = () => {};
  const done = new Promise<number>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  /** End the watch: the terminal as it was, the last frame left on it; `err` when a bug ended it. */
  const stop = (err?: unknown) => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    stdout.off("resize", onResize);
    stdout.off("error", onError);
    if (keys) {
      stdin.off("data", onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
    if (tty) stdout.write(leave(screen?.length ?? 0));
    if (err === undefined) finish(0);
    else fail(err);
  };

  // The signal handlers stay to the end: removed, a signal-exit handler (proper-lockfile's) that sees itself
  // alone on the signal kills the process with it. A second signal while a load finishes: quit now.
  const onSignal = () => (stopped ? process.exit(0) : stop());
  const onError = () => stop(); // stdout closed (EPIPE): nobody is reading any more
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  stdout.on("error", onError);
  if (tty) {
    stdout.write(ENTER);
    stdout.on("resize", onResize);
  }
  if (keys) {
    // Keys are read, not echoed over the frame; Ctrl-C arrives as a byte then, not as SIGINT.
    stdin.setRawMode(true);
    stdin.on("data", onKey);
    stdin.resume();
  }
  try {
    show();
    timer = setTimeout(next, spec.intervalMs);
  } catch (err) {
    stop(err);
  }
  return done;
}

const two = (n: number) => String(n).padStart(2, "0");

/** Local time, 14:02:05. */
function clock(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Local date and time, 2026-02-01 14:02:05. */
function dateTime(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock(d)}`;
}
