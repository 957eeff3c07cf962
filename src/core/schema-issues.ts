/** zod issues -> diagnostics people can act on. */
import type { z } from "zod";
import type { PathDiagnostic } from "./diagnostic.ts";
import { showPath } from "./yaml-read.ts";

export function issueToDiagnostic(
  issue: z.core.$ZodIssue,
  data: unknown,
  describe: (path: readonly PropertyKey[]) => string,
): PathDiagnostic {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const where = describe(path);
  const last = path[path.length - 1];
  const base = { path, severity: "error" as const };
  switch (issue.code) {
    case "invalid_type": {
      const got = valueAt(data, path);
      if (got === undefined)
        return {
          ...base,
          code: "missing-field",
          message: `${where} is missing`,
          hint: `add \`${String(last)}:\``,
        };
      const expected = issue.expected === "array" ? "a list" : `a ${issue.expected}`;
      const hint =
        issue.expected === "string" && (typeof got === "number" || typeof got === "boolean")
          ? `quote it: "${String(got)}"`
          : issue.expected === "array"
            ? "write it as a YAML list (`- item` lines or `[a, b]`)"
            : `write ${expected}`;
      return {
        ...base,
        code: "wrong-type",
        message: `${where} must be ${expected}, not ${kindOf(got)}`,
        hint,
      };
    }
    case "invalid_value":
      if (last === "status")
        return {
          ...base,
          code: "unknown-status",
          message: `${where} \`${String(valueAt(data, path))}\` is not a status`,
          hint: `use one of ${issue.values.map(String).join(", ")}`,
        };
      return { ...base, code: "invalid-value", message: `${where} is not allowed`, hint: issue.message };
    case "invalid_union":
      return {
        ...base,
        code: "bad-criterion",
        message: `${where} must be a string or a mapping with \`text\` (and optional \`check\`)`,
        hint: 'write `- "text"` or `- { text: "...", check: "command" }`',
      };
    case "too_small":
      return {
        ...base,
        code: "empty-value",
        message: `${where}: ${issue.message}`,
        hint: "fill it in or remove it",
      };
    default:
      return {
        ...base,
        code: "invalid",
        message: `${where}: ${issue.message}`,
        hint: `fix ${showPath(path)}`,
      };
  }
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

export function kindOf(v: unknown): string {
  if (v === null) return "empty (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `a ${typeof v} (${JSON.stringify(v)})`;
}
