/** Read and validate .longrun/config.yaml; a missing config means all defaults. */
import { type Config, validateConfig } from "../core/config-schema.ts";
import type { Diagnostic } from "../core/diagnostic.ts";
import { placeDiagnostics } from "../core/place-diagnostics.ts";
import { LineIndex } from "../core/text-position.ts";
import { readYaml } from "../core/yaml-read.ts";
import { display, FILES, filePath } from "./paths.ts";
import { readTextFile } from "./read-input.ts";

export interface LoadedConfig {
  exists: boolean;
  value: Config | undefined;
  diagnostics: Diagnostic[];
}

/** The config; a missing file means all defaults unless `required` (then it throws the missing-file error). */
export function loadConfig(dir: string, opts: { required?: boolean } = {}): LoadedConfig {
  const path = filePath(dir, FILES.config);
  const shown = display(path);
  const file = readTextFile(path, { optional: !opts.required });
  if (!file) return { exists: false, value: {}, diagnostics: [] };
  const read = readYaml(file.text);
  if (!read.ok) {
    const { line, col } = new LineIndex(file.text).position(read.offset);
    return {
      exists: true,
      value: undefined,
      diagnostics: [
        {
          file: shown,
          line,
          col,
          severity: "error",
          code: read.code,
          message: read.message,
          hint: read.hint,
        },
      ],
    };
  }
  const { value, diagnostics } = validateConfig(read.data);
  return { exists: true, value, diagnostics: placeDiagnostics(shown, file.text, read.events, diagnostics) };
}
