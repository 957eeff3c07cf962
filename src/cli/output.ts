/** Printing: short human lines, or one JSON document with --json. */
export interface Out {
  json: boolean;
  line(text?: string): void;
  data(value: unknown): void;
}

export function makeOut(json: boolean): Out {
  return {
    json,
    line: (text = "") => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    data: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** `s` cut to `n` characters with an ellipsis. */
export function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

const IRREGULAR: Record<string, string> = { criterion: "criteria" };

export function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : (IRREGULAR[word] ?? `${word}s`)}`;
}
