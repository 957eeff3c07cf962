/** `longrun task <verb>`: dispatch to the read, edit and complete verbs. */
import { UserError } from "../../core/user-error.ts";
import * as complete from "./task-complete.ts";
import * as edit from "./task-edit.ts";
import * as read from "./task-read.ts";

const VERBS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  list: { run: read.list, help: read.listHelp },
  show: { run: read.show, help: read.showHelp },
  add: { run: edit.add, help: edit.addHelp },
  start: { run: edit.start, help: edit.startHelp },
  complete: { run: complete.run, help: complete.help },
  fail: { run: edit.fail, help: edit.failHelp },
  archive: { run: edit.archive, help: edit.archiveHelp },
  note: { run: edit.note, help: edit.noteHelp },
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
  return v.run(rest);
}
