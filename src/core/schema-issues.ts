/** zod issues -> diagnostics people can act on. */
import type { z } from "zod";
import type { PathDiagnostic } from "./diagnostic.ts";
import { didYouMean } from "./did-you-mean.ts";
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
  const got = valueAt(data, path);
  // A required field that is absent: whatever zod calls it (a wrong type, not one of an enum's values).
  if (got === undefined && path.length > 0)
    return {
      ...base,
      code: "missing-field",
      message: `${where} is missing`,
      hint: `add \`${String(last)}:\``,
    };
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? `a ${issue.expected}`;
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
          message: `${where} \`${String(got)}\` is not a status`,
          hint: `use one of ${issue.values.map(String).join(", ")}`,
        };
      return {
        ...base,
        code: "invalid-value",
        message: `${where} \`${String(got)}\` is not one of ${issue.values.map(String).join(", ")}`,
        hint: "use one of those",
      };
    case "invalid_union":
      return {
        ...base,
        code: "bad-criterion",
        message: `${where} must be a string or a mapping with \`text\` (and optional \`check\`)`,
        hint: 'write `- "text"` or `- { text: "...", check: "command" }`',
      };
    case "too_small":
      if (issue.origin === "number")
        return {
          ...base,
          code: "too-small",
          message: `${where} must be ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}`,
          hint: "use a larger number",
        };
      return {
        ...base,
        code: "empty-value",
        message: `${where}: ${issue.message}`,
        hint: "fill it in or remove it",
      };
    case "custom":
      return {
        ...base,
        code: "invalid-value",
        message: `${where} ${issue.message}`,
        hint: String((issue.params as { hint?: string } | undefined)?.hint ?? `fix ${showPath(path)}`),
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

/** zod's name of an expected type, as people say it. */
const EXPECTED: Record<string, string> = { array: "a list", object: "a mapping", int: "a whole number" };

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

/** A key the schema does not know: a warning at the key, with a did-you-mean when one is close. */
export function unknownKeyDiagnostic(
  path: readonly (string | number)[],
  key: string,
  known: readonly string[],
  where: string,
): PathDiagnostic {
  const guess = didYouMean(key, known);
  return {
    path: [...path, key],
    at: "key",
    severity: "warning",
    code: "unknown-key",
    message: `unknown key \`${key}\` in ${where}`,
    hint: guess ? `did you mean \`${guess}\`?` : `known keys: ${known.join(", ")}`,
  };
}
