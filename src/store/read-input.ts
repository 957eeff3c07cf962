/** Read one memory file as text, turning every way it can be unusable into a one-line UserError. */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { formatDiagnostic } from "../core/diagnostic.ts";
import { decodeText } from "../core/text-decode.ts";
import { UserError } from "../core/user-error.ts";
import { display } from "./paths.ts";

/** Largest memory file longrun reads, in MiB (`LONGRUN_MAX_FILE_MB` overrides). */
export function maxFileBytes(): number {
  const mb = Number(process.env.LONGRUN_MAX_FILE_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 16) * 1024 * 1024;
}

export interface TextFile {
  path: string;
  text: string;
  bom: boolean;
  crlf: boolean;
  /** sha1 of the raw bytes: the cache key and the "changed under us" check. */
  hash: string;
  mode: number;
}

const CREATED_BY: Record<string, string> = {
  "plan.md": "longrun init",
  "checklist.yaml": "longrun init",
  "run-log.md": "longrun init",
  "config.yaml": "longrun init",
};

/** Read `file`; `undefined` when it does not exist and `optional` is set. */
export function readTextFile(file: string, opts: { optional?: boolean } = {}): TextFile | undefined {
  const shown = display(file);
  let size: number;
  let mode: number;
  try {
    const st = statSync(file);
    if (st.isDirectory())
      throw unreadable(shown, "not-a-file", "is a folder, not a file", "move it away and run `longrun init`");
    size = st.size;
    mode = st.mode;
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (opts.optional) return undefined;
      const base = file.split(/[\\/]/).pop() ?? file;
      throw unreadable(
        shown,
        "missing-file",
        "missing",
        `create it with \`${CREATED_BY[base] ?? "longrun init"}\`, or pass --dir to point at the repo`,
      );
    }
    throw unreadable(
      shown,
      "unreadable",
      `cannot read (${code ?? String(err)})`,
      "check the path and its permissions",
    );
  }
  const limit = maxFileBytes();
  if (size > limit)
    throw located(
      shown,
      1,
      1,
      "too-large",
      `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${(limit / 1048576).toFixed(0)} MiB limit`,
      "archive finished tasks elsewhere, or raise LONGRUN_MAX_FILE_MB",
    );
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw unreadable(
      shown,
      "unreadable",
      `cannot read (${code === "EACCES" ? "permission denied" : (code ?? String(err))})`,
      "fix its permissions",
    );
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok)
    throw located(
      shown,
      decoded.line,
      decoded.col,
      "not-utf8",
      `byte 0x${decoded.byte.toString(16).padStart(2, "0")} is not UTF-8`,
      "save the file as UTF-8",
    );
  const hash = createHash("sha1").update(bytes).digest("hex");
  return { path: file, text: decoded.text, bom: decoded.bom, crlf: decoded.crlf, hash, mode };
}

function located(
  file: string,
  line: number,
  col: number,
  code: string,
  message: string,
  hint: string,
): UserError {
  const d = { file, line, col, severity: "error" as const, code, message, hint };
  return new UserError(formatDiagnostic(d), 2, d);
}

/** A whole-file problem: `FILE: message (hint)`, with a diagnostic at 1:1 for `check`. */
function unreadable(file: string, code: string, message: string, hint: string): UserError {
  return new UserError(`${file}: ${message} (${hint})`, 2, {
    file,
    line: 1,
    col: 1,
    severity: "error",
    code,
    message,
    hint,
  });
}
