/** Server-sent-event framing and delta splitting, shared by the three wire protocols. */
import type { ServerResponse } from "node:http";
import type { AnswerTurn, SseFrame } from "./types.ts";

/** One frame as written on the wire: optional `event:` line, one `data:` line, blank line. */
export function frameText(frame: SseFrame): string {
  const data = typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data);
  return `${frame.event ? `event: ${frame.event}\n` : ""}data: ${data}\n\n`;
}

/** Send the 200 head of an event stream at once (clients see the status before any delta). */
export function openSse(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...headers,
  });
  res.flushHeaders();
}

/** Write frames; resolves once they are handed to the socket. */
export function writeFrames(res: ServerResponse, frames: SseFrame[]): Promise<void> {
  return new Promise((resolve) => {
    res.write(frames.map(frameText).join(""), () => resolve());
  });
}

/**
 * Text cut into several deltas (word by word, at most 4 pieces) so that clients must accumulate;
 * never inside a character. The pieces join back to `text`.
 */
export function pieces(text: string): string[] {
  const words = text.match(/\s*\S+\s*|\s+/g) ?? [];
  if (words.length <= 4) return words.length ? words : [text];
  const size = Math.ceil(words.length / 4);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(""));
  return out;
}

/** Tool arguments as the JSON text sent on the wire (a string is sent verbatim). */
export function argumentsText(args: Record<string, unknown> | string): string {
  return typeof args === "string" ? args : JSON.stringify(args);
}

/** Arguments text in two halves, cut between characters (clients must concatenate). */
export function halves(s: string): string[] {
  const chars = Array.from(s);
  if (chars.length < 2) return [s];
  const mid = Math.floor(chars.length / 2);
  return [chars.slice(0, mid).join(""), chars.slice(mid).join("")];
}

/** The answer's text, tool call or not. */
export function answerText(turn: AnswerTurn): string {
  return "toolCall" in turn ? (turn.text ?? "") : turn.text;
}
