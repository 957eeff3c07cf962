/** `longrun cost scan`: tokens and cost from an agent CLI's own usage logs. */
import { unpricedWarnings } from "../../core/usage-book.ts";
import { UserError } from "../../core/user-error.ts";
import { pricesFor } from "../../cost/price-table.ts";
import { dayArg } from "../../cost/scan/days.ts";
import { SCAN_GROUPS, type ScanGroup, SOURCES, scanLogs } from "../../cost/scan/scan.ts";
import { builtin } from "../../store/builtin.ts";
import { display, FILES, filePath } from "../../store/paths.ts";
import { parse, positionals, repoDir, str } from "../args.ts";
import { makeOut, plural } from "../output.ts";
import { printBook } from "./cost-format.ts";

const { existsSync } = builtin("node:fs");

export async function run(argv: string[]): Promise<number> {
  const p = parse(
    argv,
    {
      from: { type: "string" },
      path: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      by: { type: "string" },
      timezone: { type: "string" },
    },
    "cost scan",
  );
  positionals(p, [], "cost scan");
  const names = Object.keys(SOURCES);
  const from = str(p.values, "from");
  if (!from) throw new UserError(`cost scan: --from is required (one of ${names.join(", ")})`);
  if (!SOURCES[from]) throw new UserError(`cost scan: --from \`${from}\` is not one of ${names.join(", ")}`);
  const by = (str(p.values, "by") ?? "day") as ScanGroup;
  if (!SCAN_GROUPS.includes(by))
    throw new UserError(`cost scan: --by \`${by}\` is not one of ${SCAN_GROUPS.join(", ")}`);
  const since = dayArg("since", str(p.values, "since"));
  const until = dayArg("until", str(p.values, "until"));
  if (since && until && since > until)
    throw new UserError(`cost scan: --since ${since} is after --until ${until}`);
  // the config module (and the hashing it loads) only when there is a config
  const dir = repoDir(p.values);
  const config = existsSync(filePath(dir, FILES.config))
    ? (await (await import("../../store/config-store.ts")).loadConfig(dir)).value
    : undefined;
  const prices = pricesFor(config);
  const tz = str(p.values, "timezone");
  const r = await scanLogs(
    {
      from,
      by,
      env: process.env,
      ...(str(p.values, "path") !== undefined ? { path: str(p.values, "path") } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(tz ? { timeZone: tz } : {}),
    },
    prices,
  );
  const warnings = unpricedWarnings(r.book);
  if (r.stats.badLines)
    warnings.push(
      `${r.stats.badLines} unreadable lines were skipped (bad JSON, a truncated line, a bad number or time)`,
    );
  if (r.stats.unreadable.length)
    warnings.push(
      `${r.stats.unreadable.length} files could not be read and were skipped, e.g. ${r.stats.unreadable[0]} (check its permissions)`,
    );
  const { entries: _e, ...totals } = r.book.total;
  const out = makeOut(!!p.values.json);
  out.data({
    from,
    by,
    paths: r.roots,
    totals,
    rows: r.book.rows(),
    files: r.stats.files,
    entries: r.stats.entries,
    duplicates: r.stats.duplicates,
    badLines: r.stats.badLines,
    unreadableFiles: r.stats.unreadable,
    outsideDates: r.outside,
    plans: [...r.book.plans],
    warnings,
  });
  if (!out.json) {
    out.line(
      `${from}: ${plural(r.stats.files, "file")} in ${r.roots.map(display).join(", ")}; ${plural(r.book.total.entries, "request")} counted (${plural(r.stats.duplicates, "duplicate")} skipped), by ${by}`,
    );
    if (r.book.total.entries) printBook(out, r.book, prices.declared);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return 0;
}
