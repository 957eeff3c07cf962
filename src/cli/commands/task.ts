/** `longrun task <verb>`: dispatch to the verb, loading only its module. */
import { UserError } from "../../core/user-error.ts";
import * as h from "./task-help.ts";

type Run = (argv: string[]) => Promise<number>;

const VERBS: Record<string, { help: string; load: () => Promise<Run> }> = {
  list: { help: h.listHelp, load: async () => (await import("./task-read.ts")).list },
  show: { help: h.showHelp, load: async () => (await import("./task-read.ts")).show },
  add: { help: h.addHelp, load: async () => (await import("./task-edit.ts")).add },
  start: { help: h.startHelp, load: async () => (await import("./task-edit.ts")).start },
  complete: { help: h.completeHelp, load: async () => (await import("./task-complete.ts")).run },
  fail: { help: h.failHelp, load: async () => (await import("./task-edit.ts")).fail },
  archive: { help: h.archiveHelp, load: async () => (await import("./task-edit.ts")).archive },
  note: { help: h.noteHelp, load: async () => (await import("./task-edit.ts")).note },
};

export const help = `longrun task <verb> ...   (every verb takes --dir D and --json)
${Object.values(VERBS)
  .map((v) => `  ${v.help.split("\n")[0]}`)
  .join("\n")}
  Run \`longrun task <verb> --help\` for one verb.`;

export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h") {
    process.stdout.write(`${help}\n`);
    return verb ? 0 : 2;
  }
  const v = VERBS[verb];
  if (!v) throw new UserError(`task: unknown verb \`${verb}\` (one of ${Object.keys(VERBS).join(", ")})`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${v.help}\n`);
    return 0;
  }
  return (await v.load())(rest);
}
