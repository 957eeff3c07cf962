/**
 * A frame of lines drawn in place on a terminal (`status --watch`): the escape sequences only, no I/O.
 * Rows are addressed absolutely and only the rows that changed are rewritten, so nothing flickers;
 * line wrap is off while drawing, so a line wider than the terminal cannot spill into the next row.
 */
const CSI = "\x1b[";

/** Hide the cursor and turn line wrap off: before the first frame. */
export const ENTER = `${CSI}?25l${CSI}?7l`;

/** Cursor on the line below a frame of `height` rows, visible again, line wrap back on. */
export function leave(height: number): string {
  return `${CSI}${Math.max(1, height)};1H\n${CSI}?7h${CSI}?25h`;
}

/**
 * `lines` made to fit a terminal of `cols` x `rows`: control characters become spaces, each line is cut
 * to `cols` characters (an ellipsis marks the cut) and at most `rows` lines are kept, the last one then
 * saying how many did not fit.
 */
export function fitFrame(lines: readonly string[], cols: number, rows: number): string[] {
  const cut = (s: string) => {
    const chars = Array.from(s.replace(/[\x00-\x1f\x7f-\x9f]/g, " "));
    return chars.length > cols ? `${chars.slice(0, Math.max(0, cols - 1)).join("")}…` : chars.join("");
  };
  if (lines.length <= rows) return lines.map(cut);
  const kept = Math.max(0, rows - 1);
  return [...lines.slice(0, kept), `… ${lines.length - kept} more lines (a taller window shows them)`].map(
    cut,
  );
}

/**
 * What turns the screen showing `prev` into `next`: the rows that differ, rewritten in place, and the rows
 * below `next` cleared. `prev` null (first frame, or after a resize): the screen is cleared and all drawn.
 */
export function redraw(prev: readonly string[] | null, next: readonly string[]): string {
  let out = prev ? "" : `${CSI}H${CSI}2J`;
  next.forEach((line, i) => {
    if (prev && prev[i] === line) return;
    out += `${CSI}${i + 1};1H${line}${prev ? `${CSI}K` : ""}`;
  });
  if (prev && prev.length > next.length) out += `${CSI}${next.length + 1};1H${CSI}J`;
  return out;
}
