/** `longrun cost`: the ledger of this repo's runs, by task, model, day or run. */
import { didYouMean } from "../../core/did-you-mean.ts";
import { unpricedWarnings } from "../../core/usage-book.ts";
import { UserError } from "../../core/user-error.ts";
import { buildLedger, LEDGER_GROUPS, type LedgerGroup } from "../../cost/ledger.ts";
import { pricesFor } from "../../cost/price-table.ts";
import { loadConfig } from "../../store/config-store.ts";
import { listRuns, readRunInfo } from "../../store/run-journal.ts";
import { parse, positionals, repoDir, str } from "../args.ts";
import { makeOut, plural } from "../output.ts";
import { printBook } from "./cost-format.ts";

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, { run: { type: "string" }, by: { type: "string" } }, "cost");
  positionals(p, [], "cost");
  const dir = repoDir(p.values);
  const by = (str(p.values, "by") ?? "task") as LedgerGroup;
  if (!LEDGER_GROUPS.includes(by))
    throw new UserError(`cost: --by \`${by}\` is not one of ${LEDGER_GROUPS.join(", ")}`);
  let ids = listRuns(dir);
  const only = str(p.values, "run");
  if (only) {
    if (!ids.includes(only)) {
      const near = didYouMean(only, ids);
      throw new UserError(
        `cost: no run \`${only}\` in .longrun/runs/${near ? ` (did you mean \`${near}\`?)` : ""} (\`longrun cost --by run\` lists them)`,
      );
    }
    ids = [only];
  }
  const config = await loadConfig(dir);
  const prices = pricesFor(config.value);
  const runs = ids.map((id) => ({ id, info: readRunInfo(dir, id) }));
  const ledger = await buildLedger(dir, runs, by, prices);
  const warnings = unpricedWarnings(ledger.book);
  if (ledger.badLines) warnings.push(`${ledger.badLines} journal lines were not events and were skipped`);
  const out = makeOut(!!p.values.json);
  out.data({
    by,
    runs: ledger.runs,
    sessions: ledger.sessions,
    totals: ledger.book.total,
    rows: ledger.book.rows(),
    plans: [...ledger.book.plans],
    warnings,
  });
  if (!out.json) {
    if (!ledger.sessions) {
      out.line(
        ids.length
          ? "no agent sessions in the run journals yet"
          : "no runs yet (`longrun exec` and `longrun run` record them)",
      );
      return 0;
    }
    out.line(`${plural(ledger.runs, "run")}, ${plural(ledger.sessions, "session")}, by ${by}`);
    printBook(out, ledger.book, prices.declared);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return 0;
}
