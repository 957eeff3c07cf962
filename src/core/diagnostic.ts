/** A problem found in one of the memory files, located by line and column (1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: "error" | "warning";
  code: string;
  message: string;
  /** What to do about it, in a few words. */
  hint: string;
}

/** `FILE:LINE:COL: code: message (hint)` — the one-line form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const level = d.severity === "warning" ? "warning " : "";
  return `${d.file}:${d.line}:${d.col}: ${level}${d.code}: ${d.message} (${d.hint})`;
}

export function errorsOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "error");
}

export function warningsOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === "warning");
}

/** A diagnostic before it is placed in the file: it points at a path in the YAML document. */
export interface PathDiagnostic {
  path: readonly (string | number)[];
  /** Point at the key of the path (`unknown-key`) or at its value (default). */
  at?: "key" | "value";
  severity: "error" | "warning";
  code: string;
  message: string;
  hint: string;
}
