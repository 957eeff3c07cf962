/**
 * Strict JSONL framing of a byte stream: lines end at `\n` only (never at U+2028/2029, which are legal
 * inside JSON strings, as readline would), a trailing `\r` is dropped, and multi-byte UTF-8 characters
 * split across chunks are decoded whole.
 */
import { StringDecoder } from "node:string_decoder";

export class LineFramer {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";

  /** Complete lines in `chunk` (with what was pending before it). */
  push(chunk: Uint8Array | string): string[] {
    this.pending += typeof chunk === "string" ? chunk : this.decoder.write(chunk as Buffer);
    const lines = this.pending.split("\n");
    this.pending = lines.pop() ?? "";
    return lines.map(stripCr);
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = "";
    return rest === "" ? [] : [stripCr(rest)];
  }
}

function stripCr(l: string): string {
  return l.endsWith("\r") ? l.slice(0, -1) : l;
}

/** A parsed JSON object, or undefined for anything else (not JSON, or JSON that is not an object). */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One JSONL input line for a child: the JSON of `value` and `\n`, with U+2028/2029 escaped, so that a
 * reader that splits on them too (Node's readline does) still sees one line.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")}\n`;
}
