/**
 * Split checklist.yaml into a frame (everything but the task items) and one text per task item,
 * by line structure alone, so that each part can be parsed (and cached) on its own. A block sequence
 * item at column c ends where the next line at column c starts with `- `; block scalars, multi-line
 * flow scalars and nested collections of an item are all indented deeper, so they cannot hold such a
 * line. Any layout outside that plain shape returns undefined and the caller parses the whole file.
 */

export interface Split {
  /** The file without its task items; `tasks:` is left with no value. */
  frame: string;
  /** [start, end) of each item in the file: from its `-` line to the next item's line. */
  items: [number, number][];
  /** Column of the items' `-`. */
  dash: number;
  /** Where the items begin and end in the file (the frame is text[0, start) + text[end, ...)). */
  start: number;
  end: number;
}

const BLANK_OR_COMMENT = /^[ \t]*(#.*)?$/;
const TASKS_KEY = /^tasks[ \t]*:[ \t]*(#.*)?$/;

export function splitTasks(text: string): Split | undefined {
  const lines: { at: number; text: string }[] = [];
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl;
    lines.push({ at, text: text.slice(at, end) });
    if (nl === -1) break;
    at = nl + 1;
  }
  let keyLine = -1;
  for (const [i, l] of lines.entries()) {
    if (/^(---|\.\.\.)([ \t]|$)|^%/.test(l.text)) return undefined; // documents and directives
    if (TASKS_KEY.test(l.text)) {
      if (keyLine !== -1) return undefined;
      keyLine = i;
    }
  }
  if (keyLine === -1) return undefined;
  let first = keyLine + 1;
  while (first < lines.length && BLANK_OR_COMMENT.test(lines[first]!.text)) first++;
  const m = /^( *)-( |$)/.exec(lines[first]?.text ?? "");
  if (!m) return undefined;
  const dash = m[1]!.length;
  const starts = [first];
  let stop = lines.length;
  for (let i = first + 1; i < lines.length; i++) {
    const l = lines[i]!.text;
    if (BLANK_OR_COMMENT.test(l)) continue;
    const indent = /^ */.exec(l)![0].length;
    if (indent > dash) continue;
    if (indent === dash && /^ *-( |$)/.test(l)) {
      starts.push(i);
      continue;
    }
    if (indent === 0 && !l.startsWith("-")) {
      stop = i;
      break;
    }
    return undefined; // a line the plain shape does not explain: let the real parser decide
  }
  // Blank and comment lines just before the next top-level key belong to the frame, not the last item.
  let last = stop;
  while (last > starts[starts.length - 1]! + 1 && /^(#.*)?$/.test(lines[last - 1]!.text)) last--;
  const offset = (i: number) => (i < lines.length ? lines[i]!.at : text.length);
  const start = offset(first);
  const end = offset(last);
  const items = starts.map((s, k): [number, number] => [
    offset(s),
    k + 1 < starts.length ? offset(starts[k + 1]!) : end,
  ]);
  return { frame: text.slice(0, start) + text.slice(end), items, dash, start, end };
}
