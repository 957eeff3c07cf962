/** Command-line parsing on node:util parseArgs, with usage errors as one-line UserErrors (exit 2). */
import path from "node:path";
import { UserError } from "../core/user-error.ts";
import { builtin } from "../store/builtin.ts";

const { statSync } = builtin("node:fs");
const { parseArgs } = builtin("node:util");

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** Flags every command takes. */
export const COMMON: OptionSpec = {
  dir: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  debug: { type: "boolean" },
};

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(argv: string[], spec: OptionSpec, command: string): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...COMMON, ...spec },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed["values"], positionals };
  } catch (err) {
    const msg = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, "")
      .replace(/\s*\n\s*/g, " ") // some node:util messages span lines; errors are one line
      .replace(/\.$/, "");
    throw new UserError(`${command}: ${msg} (see \`longrun ${command} --help\`)`);
  }
}

/** The repo folder: `--dir` or the current directory; it must exist. */
export function repoDir(values: Parsed["values"]): string {
  const dir = path.resolve(typeof values.dir === "string" ? values.dir : process.cwd());
  try {
    if (!statSync(dir).isDirectory())
      throw new UserError(`--dir ${dir}: not a folder (point --dir at the repo)`);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `--dir ${dir}: no such folder (point --dir at the repo, or create it with \`longrun init --dir ${dir}\`)`,
    );
  }
  return dir;
}

export function str(values: Parsed["values"], name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function list(values: Parsed["values"], name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

/** A non-negative integer flag; thousands may be grouped (46,053,693 or 46_053_693). */
export function int(values: Parsed["values"], name: string, command: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!/^(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+)$/.test(v))
    throw new UserError(`${command}: --${name} must be a whole number, not \`${v}\``);
  return Number(v.replace(/[,_]/g, ""));
}

/** Exactly `n` positionals, or a usage error naming them. */
export function positionals(p: Parsed, names: string[], command: string): string[] {
  if (p.positionals.length < names.length)
    throw new UserError(
      `${command}: missing ${names
        .slice(p.positionals.length)
        .map((n) => `<${n}>`)
        .join(" ")} (see \`longrun ${command} --help\`)`,
    );
  if (p.positionals.length > names.length)
    throw new UserError(
      `${command}: unexpected argument \`${p.positionals[names.length]}\` (quote text with spaces; see \`longrun ${command} --help\`)`,
    );
  return p.positionals;
}
