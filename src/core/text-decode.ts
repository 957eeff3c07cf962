/** Bytes of a memory file -> text, refusing non-UTF-8 with the position of the first bad byte. */

export type Decoded =
  | { ok: true; text: string; bom: boolean; crlf: boolean }
  | { ok: false; line: number; col: number; byte: number };

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decode UTF-8; a leading BOM is dropped (and reported so a writer can keep it); a file with CRLF line endings
 * is reported and normalised to LF so that every parser and editor sees one kind of line break.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  let text: string;
  try {
    text = fatal.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    return { ok: false, line, col: at - lineStart + 1, byte: bytes[at] ?? 0 };
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  // Only a file whose every line break is CRLF is normalised; a mixed file is left as written (parsers
  // accept both), so an edit never rewrites line endings it did not touch.
  const crlfCount = count(text, "\r\n");
  const crlf = crlfCount > 0 && crlfCount === count(text, "\n");
  if (crlf) text = text.replace(/\r\n/g, "\n");
  return { ok: true, text, bom, crlf };
}

/** Text -> bytes-to-write, restoring the BOM and CRLF endings the file had. */
export function encodeLike(text: string, like: { bom: boolean; crlf: boolean }): string {
  const body = like.crlf ? text.replace(/\n/g, "\r\n") : text;
  return like.bom ? `\ufeff${body}` : body;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let n = 0;
    let min = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (n >= 2 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return b.length;
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
