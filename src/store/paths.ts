/** Where longrun's files live in a target repo. */
import path from "node:path";

export const FILES = {
  plan: "plan.md",
  checklist: "checklist.yaml",
  runLog: "run-log.md",
  agents: "AGENTS.md",
  config: ".longrun/config.yaml",
} as const;

export const STATE_DIR = ".longrun";

export function filePath(dir: string, name: string): string {
  return path.join(dir, name);
}

/** How a path is shown in messages: relative to the current directory when inside it. */
export function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}
