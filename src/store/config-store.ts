/** Read and validate .longrun/config.yaml; a missing config means all defaults. */
import type { Config } from "../core/config-schema.ts";
import type { Diagnostic } from "../core/diagnostic.ts";
import { readCache, writeCache } from "./parse-cache.ts";
import { display, FILES, filePath } from "./paths.ts";
import { readTextFile } from "./read-input.ts";

export interface LoadedConfig {
  exists: boolean;
  value: Config | undefined;
  diagnostics: Diagnostic[];
}

/**
 * The config; a missing file means all defaults unless `required` (then it throws the missing-file
 * error). A validated config is cached by content hash, so a command that only needs its values
 * (`exec`, `task complete`) does not load the schema library.
 */
export async function loadConfig(dir: string, opts: { required?: boolean } = {}): Promise<LoadedConfig> {
  const path = filePath(dir, FILES.config);
  const shown = display(path);
  const file = readTextFile(path, { optional: !opts.required });
  if (!file) return { exists: false, value: {}, diagnostics: [] };
  const cached = readCache<LoadedConfig>(dir, "config");
  if (cached?.hash === file.hash && cached.value.diagnostics.every((d) => d.file === shown))
    return cached.value;
  const [{ readYaml }, { validateConfig }, { placeDiagnostics }, { LineIndex }] = await Promise.all([
    import("../core/yaml-read.ts"),
    import("../core/config-schema.ts"),
    import("../core/place-diagnostics.ts"),
    import("../core/text-position.ts"),
  ]);
  const read = readYaml(file.text);
  let loaded: LoadedConfig;
  if (!read.ok) {
    const { line, col } = new LineIndex(file.text).position(read.offset);
    loaded = {
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
  } else {
    const { value, diagnostics } = validateConfig(read.data);
    loaded = {
      exists: true,
      value,
      diagnostics: placeDiagnostics(shown, file.text, read.events, diagnostics),
    };
  }
  writeCache(dir, "config", file.hash, loaded);
  return loaded;
}
