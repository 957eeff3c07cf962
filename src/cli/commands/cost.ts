/** `longrun cost [ledger options] | cost estimate | cost scan`: dispatch, loading only what runs. */
import * as h from "./cost-help.ts";

type Run = (argv: string[]) => Promise<number>;

const VERBS: Record<string, { help: string; load: () => Promise<Run> }> = {
  estimate: { help: h.estimateHelp, load: async () => (await import("./cost-estimate.ts")).run },
  scan: { help: h.scanHelp, load: async () => (await import("./cost-scan.ts")).run },
};

export const help = `${h.ledgerHelp}
${h.estimateHelp}
${h.scanHelp}`;

export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const v = verb ? VERBS[verb] : undefined;
  const args = v ? rest : argv;
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${v ? v.help : help}\n`);
    return 0;
  }
  return v ? (await v.load())(rest) : (await import("./cost-ledger.ts")).run(argv);
}
