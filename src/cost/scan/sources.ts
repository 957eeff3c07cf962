/** The CLIs whose own logs `cost scan` reads, each loaded when it is the one asked for. */
import type { LogSource } from "./types.ts";

export const SOURCES: Record<string, () => Promise<LogSource>> = {
  claude: async () => (await import("./claude.ts")).claudeSource,
  codex: async () => (await import("./codex.ts")).codexSource,
  opencode: async () => (await import("./opencode.ts")).opencodeSource,
  pi: async () => (await import("./pi.ts")).piSource,
};
