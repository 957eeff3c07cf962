/**
 * Calendar days of instants in a time zone (the system's, like the CLIs' own reports, or an IANA
 * name), fast: a day is computed once per 15-minute slot (every zone offset is a multiple of 15
 * minutes), so millions of entries cost a map lookup each.
 */
import { UserError } from "../../core/user-error.ts";

export type DayOf = (ms: number) => string;

const SLOT = 15 * 60_000;

export function dayFunction(timeZone?: string): DayOf {
  let fmt: Intl.DateTimeFormat | undefined;
  if (timeZone && timeZone !== "local") {
    try {
      fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      throw new UserError(
        `cost scan: --timezone \`${timeZone}\` is not a time zone (an IANA name such as UTC or Europe/Berlin, or local)`,
      );
    }
  }
  const cache = new Map<number, string>();
  return (ms) => {
    const slot = Math.floor(ms / SLOT);
    let day = cache.get(slot);
    if (day === undefined) {
      if (fmt) day = fmt.format(ms);
      else {
        const d = new Date(ms);
        day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
      }
      cache.set(slot, day);
    }
    return day;
  };
}

/** YYYY-MM-DD from a --since/--until value (YYYY-MM-DD or YYYYMMDD). */
export function dayArg(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
  if (
    !m ||
    Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
    new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
  )
    throw new UserError(`cost scan: --${flag} \`${value}\` is not a date (2026-11-26 or 20261126)`);
  return day;
}
