/** Help texts of `longrun cost`, apart so the dispatcher loads no verb to print them. */
export const ledgerHelp = `longrun cost [--run ID] [--by task|model|day|run] [--json]
  What the runs in this repo cost: tokens by kind and USD from the run journals
  (.longrun/runs/*/events.jsonl), per task (failed attempts included), model, day (UTC) or run.`;

export const estimateHelp = `longrun cost estimate --input N --cached N --output N [--cache-write N] [--reasoning N]
             [--models a,b] [--date YYYY-MM-DD] [--json]
  What that workload costs on every priced model (the price in force on --date, default today) and
  every flat plan, cheapest first. --input is uncached input; --output includes reasoning.`;

export const scanHelp = `longrun cost scan --from claude|codex|opencode|pi [--path DIR] [--since DATE] [--until DATE] [--timezone TZ]
             [--by day|model|session|project] [--json]
  Tokens and cost from the agent CLIs' own usage logs (Claude Code's projects/, Codex's sessions/,
  OpenCode's storage, Pi's sessions/), at their default places or under --path. Days are in the
  system time zone (or --timezone: an IANA name or UTC); --since/--until take 2026-11-26 or 20261126.`;
