/** `longrun log add --tag T "text"` and `longrun log [--tag T] [--since WHEN] [--tail N]`. */
import { parseDuration } from "../../core/duration.ts";
import { formatStamp, isTag, selectEvents, TAGS } from "../../core/run-log.ts";
import { UserError } from "../../core/user-error.ts";
import { loadRunLog } from "../../store/run-log-read.ts";
import { appendLogEvent } from "../../store/run-log-write.ts";
import { int, parse, positionals, repoDir, str } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun log [--tag T] [--since WHEN] [--tail N] [--json]
  Print events of run-log.md. WHEN is a date (2026-01-31), a date and time (2026-01-31 14:00, UTC)
  or an age (90m, 12h, 7d).
longrun log add --tag T "text"
  Append an event (T: ${TAGS.join(", ")}). Earlier lines are never touched; multi-line text stays one event.`;

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "add") return add(argv.slice(1));
  const p = parse(
    argv,
    { tag: { type: "string" }, since: { type: "string" }, tail: { type: "string" } },
    "log",
  );
  positionals(p, [], "log");
  const out = makeOut(!!p.values.json);
  const tag = str(p.values, "tag");
  if (tag && !isTag(tag))
    throw new UserError(`log: --tag \`${tag}\` is not a tag (one of ${TAGS.join(", ")})`);
  const since = sinceStamp(str(p.values, "since"));
  const tail = int(p.values, "tail", "log");
  const { parsed } = loadRunLog(repoDir(p.values));
  const events = selectEvents(parsed.events, { tag, since, tail });
  out.data({ events });
  for (const e of events) out.line(`${e.stamp} ${e.tag}: ${e.text.replace(/\n/g, "\n  ")}`);
  if (!out.json && events.length === 0) out.line(parsed.events.length ? "no events match" : "no events yet");
  return 0;
}

async function add(argv: string[]): Promise<number> {
  const p = parse(argv, { tag: { type: "string" } }, "log add");
  const [text] = positionals(p, ["text"], "log add");
  const out = makeOut(!!p.values.json);
  const tag = str(p.values, "tag");
  if (!tag) throw new UserError(`log add: --tag is required (one of ${TAGS.join(", ")})`);
  if (!isTag(tag)) throw new UserError(`log add: --tag \`${tag}\` is not a tag (one of ${TAGS.join(", ")})`);
  const event = await appendLogEvent(repoDir(p.values), tag, text!);
  out.data({ event });
  out.line(`logged at run-log.md:${event.line}`);
  return 0;
}

/** `YYYY-MM-DD HH:MM` lower bound from a date, a date-time or an age. */
export function sinceStamp(since: string | undefined, now = new Date()): string | undefined {
  if (since === undefined) return undefined;
  const s = since.trim();
  const age = parseDuration(s);
  if (age !== undefined) return formatStamp(new Date(now.getTime() - age));
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?$/.exec(s);
  if (m && !Number.isNaN(Date.parse(`${m[1]}T${m[2] ?? "00:00"}:00Z`))) return `${m[1]} ${m[2] ?? "00:00"}`;
  throw new UserError(
    `log: --since \`${since}\` is not a date (2026-01-31), a date and time (2026-01-31 14:00) or an age (12h, 7d)`,
  );
}
