/** Turn path-addressed diagnostics into `file:line:col` ones using the YAML event stream. */
import type { Event } from "js-yaml";
import type { Diagnostic, PathDiagnostic } from "./diagnostic.ts";
import { LineIndex } from "./text-position.ts";
import { locate, placeOf } from "./yaml-read.ts";

export function placeDiagnostics(
  file: string,
  text: string,
  events: readonly Event[],
  raw: readonly PathDiagnostic[],
): Diagnostic[] {
  if (raw.length === 0) return [];
  const found = locate(
    events,
    text,
    raw.map((d) => d.path),
  );
  const lines = new LineIndex(text);
  const placed = raw.map((d) => {
    const { place, exact } = placeOf(found, d.path);
    const offset = exact && d.at === "key" && place.key !== undefined ? place.key : place.value;
    const { line, col } = lines.position(offset);
    return { file, line, col, severity: d.severity, code: d.code, message: d.message, hint: d.hint };
  });
  return placed.sort((a, b) => a.line - b.line || a.col - b.col);
}
