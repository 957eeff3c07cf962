/** Every harness longrun knows: the adapters that run today, and the agent CLIs it detects. */
import { installedBinary } from "../exec/find-binary.ts";
import { claudeAdapter } from "./claude.ts";
import { codexAdapter } from "./codex.ts";
import { commandAdapter } from "./command.ts";
import { opencodeAdapter } from "./opencode.ts";
import { piAdapter } from "./pi.ts";
import type { Adapter, Installed } from "./types.ts";

/** The agent CLIs longrun drives (see shared/HARNESSES.md): binary, npm package, what each needs. */
export const AGENT_CLIS = [
  {
    name: "codex",
    bin: "codex",
    pkg: "@openai/codex",
    needs: "OPENAI_API_KEY or `codex login`; with --base-url, the key variable named by --api-key-env",
  },
  {
    name: "claude",
    bin: "claude",
    pkg: "@anthropic-ai/claude-code",
    needs: "ANTHROPIC_API_KEY or `claude login`; with --base-url, ANTHROPIC_BASE_URL is set for the session",
  },
  {
    name: "opencode",
    bin: "opencode",
    pkg: "opencode-ai",
    needs: "a provider configured in opencode (`opencode auth login`) or --base-url",
  },
  {
    name: "pi",
    bin: "pi",
    pkg: "@mariozechner/pi-coding-agent",
    needs: "a provider key (e.g. ANTHROPIC_API_KEY) or --base-url",
  },
] as const;

export const HARNESS_NAMES = ["codex", "claude", "opencode", "pi", "command"] as const;

export type HarnessName = (typeof HARNESS_NAMES)[number];

const ADAPTERS: Record<HarnessName, Adapter> = {
  command: commandAdapter,
  codex: codexAdapter,
  claude: claudeAdapter,
  opencode: opencodeAdapter,
  pi: piAdapter,
};

/** The adapter for `name`, or undefined when no harness has that name. */
export function adapterFor(name: string): Adapter | undefined {
  return Object.hasOwn(ADAPTERS, name) ? ADAPTERS[name as HarnessName] : undefined;
}

export interface AgentInfo {
  name: string;
  installed: Installed | null;
  install: string;
  needs: string;
}

/** What `longrun agents` reports: each CLI, where it is, its version, and what it needs. */
export async function listAgents(projectDir: string): Promise<AgentInfo[]> {
  const clis = await Promise.all(
    AGENT_CLIS.map(async (c) => {
      const installed = (await installedBinary(c.bin, projectDir)) ?? null;
      return {
        name: c.name,
        installed,
        install: `npm install -g ${c.pkg}`,
        needs: c.needs,
      };
    }),
  );
  return [
    ...clis,
    {
      name: "command",
      installed: (await commandAdapter.find()) ?? null,
      install: commandAdapter.install,
      needs: commandAdapter.needs,
    },
  ];
}
