/**
 * Split checklist.yaml into a frame (everything but the task items) and one text per task item,
 * by line structure alone, so that each part can be parsed (and cached) on its own. A block sequence
 * item at column c ends where the next line at column c starts with `- `; block scalars, multi-line
 * flow scalars and nested collections of an item are all indented deeper, so they cannot hold such a
 * line. Any layout outside that plain shape returns undefined and the caller parses the whole file.
 * The scan reads characters in place (no array of lines): it runs on every changed 10k-task file.
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

const SPACE = 32;
const TAB = 9;
const NL = 10;
const HASH = 35;
const DASH = 45;

/** One line: where it starts, its indentation (spaces), and what follows the indentation. */
interface Line {
  at: number;
  end: number;
  indent: number;
  /** blank, or only a comment after spaces/tabs */
  empty: boolean;
}

function lineAt(text: string, at: number): Line {
  let end = text.indexOf("\n", at);
  if (end === -1) end = text.length;
  let i = at;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  let j = i;
  while (j < end && text.charCodeAt(j) === TAB) j++;
  const c = text.charCodeAt(j);
  return { at, end, indent: i - at, empty: j >= end || c === HASH };
}

/** `-` followed by a space or the end of the line, at `pos`. */
function isDash(text: string, pos: number, end: number): boolean {
  if (text.charCodeAt(pos) !== DASH) return false;
  const next = pos + 1 < end ? text.charCodeAt(pos + 1) : NL;
  return next === SPACE || next === NL || next === 13;
}

export function splitTasks(text: string): Split | undefined {
  // Keep-chomping block scalars (`|+`, `>+`) own the blank lines after them: their item cannot be cut there.
  if (/[|>][1-9]?\+/.test(text)) return undefined;
  // The `tasks:` key: exactly one, at column 0, with no value on its line; no document markers or directives.
  let keyEnd = -1;
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl;
    const c = text.charCodeAt(at);
    if (c === 45 || c === 46 || c === 37) {
      const head = text.slice(at, Math.min(end, at + 4));
      if (/^(---|\.\.\.)([ \t\r]|$)|^%/.test(head)) return undefined;
    } else if (
      c === 116 &&
      text.startsWith("tasks", at) &&
      /^tasks[ \t]*:[ \t]*(#.*)?$/.test(text.slice(at, end))
    ) {
      if (keyEnd !== -1) return undefined;
      keyEnd = end;
    }
    at = end + 1;
  }
  if (keyEnd === -1 || keyEnd >= text.length) return undefined;
  let line = lineAt(text, keyEnd + 1);
  while (line.empty && line.end < text.length) line = lineAt(text, line.end + 1);
  if (line.empty || !isDash(text, line.at + line.indent, line.end)) return undefined;
  const dash = line.indent;
  const starts = [line.at];
  let stop = text.length;
  let lastContentEnd = line.end; // end of the last non-blank line inside the tasks
  while (line.end < text.length) {
    line = lineAt(text, line.end + 1);
    if (line.empty) continue;
    if (line.indent > dash) {
      lastContentEnd = line.end;
      continue;
    }
    if (line.indent === dash && isDash(text, line.at + dash, line.end)) {
      starts.push(line.at);
      lastContentEnd = line.end;
      continue;
    }
    if (line.indent === 0 && text.charCodeAt(line.at) !== DASH) {
      stop = line.at;
      break;
    }
    return undefined; // a line the plain shape does not explain: let the real parser decide
  }
  // Blank lines and column-0 comments just before the next top-level key belong to the frame.
  let end = stop;
  if (stop < text.length || lastContentEnd < text.length) {
    end = Math.min(stop, lastContentEnd + 1);
    // Keep indented comments (they belong to the item) up to the first column-0 comment or blank run.
    for (let at = end; at < stop; ) {
      const l = lineAt(text, at);
      const col0Comment = text.charCodeAt(at) === HASH;
      const blank = l.empty && !col0Comment && text.slice(l.at, l.end).trim() === "";
      if (blank || col0Comment) break;
      end = Math.min(stop, l.end + 1);
      at = l.end + 1;
    }
  }
  const start = starts[0]!;
  const items = starts.map((s, k): [number, number] => [s, k + 1 < starts.length ? starts[k + 1]! : end]);
  return { frame: text.slice(0, start) + text.slice(end), items, dash, start, end };
}
