/**
 * Node's built-in modules as they are already loaded: `import ... from "node:fs"` builds an ES
 * module of all of fs's exports (~5 ms of a CLI's start; node:util ~4 ms), while
 * process.getBuiltinModule (Node 22.3+; else require) hands the loaded module over.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const builtin = ((id: string) =>
  process.getBuiltinModule?.(id) ?? require(id)) as typeof process.getBuiltinModule;
