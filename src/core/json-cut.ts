/**
 * Cuts the long strings out of one JSON text that arrives as bytes in pieces, so a line of megabytes (a
 * tool's whole output, a patch) can be parsed without being held: each string longer than `keep` bytes
 * keeps its first `keep` bytes, whole characters and whole escapes, and ends with a note of how many bytes
 * were cut. Valid JSON stays valid; nothing is decoded (`"` and `\` never occur inside a UTF-8 multi-byte
 * sequence). Past `budget` bytes of output, strings keep 256 bytes, so the output stays small. Pure.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const U = 0x75;

export class LongStringCutter {
  private readonly keep: number;
  private readonly budget: number;
  private readonly out: Buffer[] = [];
  private outBytes = 0;
  private inString = false;
  /** The byte before was a backslash inside a string. */
  private escape = false;
  /** Hex digits of a `\uXXXX` still to come. */
  private hex = 0;
  /** Bytes of the current string kept. */
  private kept = 0;
  /** Cutting the current string: bytes dropped so far, or -1 when not cutting. */
  private dropped = -1;

  constructor(keep: number, budget = 1 << 20) {
    this.keep = keep;
    this.budget = budget;
  }

  /** Take the next bytes of the text. */
  push(chunk: Buffer): void {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.dropped >= 0) {
        if (this.escape) {
          this.escape = false;
          this.dropped++;
          continue;
        }
        // Jump to the next quote; it closes the string unless an odd run of backslashes escapes it.
        const q = chunk.indexOf(QUOTE, i);
        const stop = q === -1 ? chunk.length : q;
        let run = 0;
        while (stop - 1 - run >= i && chunk[stop - 1 - run] === BACKSLASH) run++;
        if (q === -1) {
          this.dropped += stop - i;
          this.escape = run % 2 === 1;
          i = stop;
          continue;
        }
        if (run % 2 === 1) {
          this.dropped += q + 1 - i;
          i = q;
          continue;
        }
        this.dropped += q - i;
        this.copy(Buffer.from(`… (${this.dropped} bytes cut)`));
        this.dropped = -1;
        this.inString = false;
        from = q; // the closing quote goes out with what follows
        i = q;
        continue;
      }
      if (!this.inString) {
        if (b === QUOTE) {
          this.inString = true;
          this.kept = 0;
        }
        continue;
      }
      if (this.escape) {
        this.escape = false;
        if (b === U) this.hex = 4;
      } else if (this.hex > 0) this.hex--;
      else if (b === QUOTE) {
        this.inString = false;
        continue;
      } else if (this.kept >= (this.outBytes > this.budget ? 256 : this.keep) && (b & 0xc0) !== 0x80) {
        // Between two characters and outside any escape: cut from here to the closing quote.
        this.copy(chunk.subarray(from, i));
        this.dropped = 1;
        if (b === BACKSLASH) this.escape = true;
        continue;
      } else if (b === BACKSLASH) this.escape = true;
      this.kept++;
    }
    if (this.dropped < 0) this.copy(chunk.subarray(from));
  }

  /** The text with its long strings cut. */
  end(): Buffer {
    return Buffer.concat(this.out);
  }

  private copy(bytes: Buffer): void {
    if (!bytes.length) return;
    this.out.push(Buffer.from(bytes));
    this.outBytes += bytes.length;
  }
}
