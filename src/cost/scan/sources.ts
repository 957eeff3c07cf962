/** The CLIs whose own logs `cost scan` reads. */
import { claudeSource } from "./claude.ts";
import { codexSource } from "./codex.ts";
import { opencodeSource } from "./opencode.ts";
import { piSource } from "./pi.ts";
import type { LogSource } from "./types.ts";

export const SOURCES: Record<string, LogSource> = {
  claude: claudeSource,
  codex: codexSource,
  opencode: opencodeSource,
  pi: piSource,
};
