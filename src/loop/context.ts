/** What every part of the supervisor works with: the options, the journal, the spend so far, the trace. */
import type { BudgetHit, Spent } from "../core/budget.ts";
import type { EffectPlace } from "./effects.ts";
import type { LoopJournal } from "./journal.ts";
import type { LoopOptions } from "./options.ts";
import type { SpendMeter } from "./spend.ts";

export interface Ctx {
  o: LoopOptions;
  j: LoopJournal;
  spend: SpendMeter;
  place: EffectPlace;
  /** One line of the human trace. */
  say(line: string): void;
  /** The environment of every child longrun starts for this run (the agent, the checks): carries the run's marker. */
  env: NodeJS.ProcessEnv;
  /** A budget that ended a session (the run ends with it). */
  budgetHit: BudgetHit | null;
}

/** Spend so far, as budgets count it (time includes the moment since the last journal line). */
export function spentNow(ctx: Ctx): Spent {
  const s = ctx.j.state;
  const { costUSD, tokens } = ctx.spend.spent();
  const since = s.lastTs && !s.paused ? Math.max(0, Date.now() - Date.parse(s.lastTs)) : 0;
  return { costUSD, tokens, activeMs: s.activeMs + since, iterations: s.iterations };
}

/** The name of the variable that marks every process of a run (found and ended after a crash). */
export const LOOP_MARKER = "LONGRUN_LOOP_RUN";
