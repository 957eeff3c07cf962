import { describe, expect, test } from "vitest";
import { decodeText, encodeLike, firstInvalidUtf8 } from "../../src/core/text-decode.ts";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const BOM = [0xef, 0xbb, 0xbf];

describe("decodeText: valid UTF-8", () => {
  test.each([
    ["plain LF", bytes("a: 1\nb: 2\n"), "a: 1\nb: 2\n", false, false],
    ["BOM dropped and reported", bytes(BOM, "a: 1\n"), "a: 1\n", true, false],
    ["CRLF normalised and reported", bytes("a: 1\r\nb: 2\r\n"), "a: 1\nb: 2\n", false, true],
    ["BOM and CRLF", bytes(BOM, "a\r\nb\r\n"), "a\nb\n", true, true],
    ["mixed endings left as written", bytes("a\r\nb\nc\r\n"), "a\r\nb\nc\r\n", false, false],
    ["a lone CR is not a line break", bytes("a\rb\n"), "a\rb\n", false, false],
    ["no line break at all", bytes("abc"), "abc", false, false],
    ["empty", bytes(""), "", false, false],
    ["only a BOM", bytes(BOM), "", true, false],
    ["multi-byte text", bytes("café ✓ 𝄞\n"), "café ✓ 𝄞\n", false, false],
    ["a BOM later in the text is kept", bytes("a\ufeffb"), "a\ufeffb", false, false],
    ["two BOMs: only the first is dropped", bytes(BOM, BOM, "x"), "\ufeffx", true, false],
  ])("%s", (_name, input, text, bom, crlf) => {
    expect(decodeText(input)).toEqual({ ok: true, text, bom, crlf });
  });
});

describe("decodeText: not UTF-8", () => {
  test.each([
    ["a lone 0xff on line 1", bytes("ab", [0xff], "c"), 1, 3, 0xff],
    ["latin-1 é on line 3", bytes("a\nb\ncaf", [0xe9], "\n"), 3, 4, 0xe9],
    ["column counts bytes, after a multi-byte char", bytes("x\né", [0x80]), 2, 3, 0x80],
    ["a truncated sequence at the end", bytes("ok\n", [0xe2, 0x82]), 2, 1, 0xe2],
    ["an overlong encoding of '/'", bytes([0xc0, 0xaf]), 1, 1, 0xc0],
    ["an overlong 3-byte encoding", bytes("ab", [0xe0, 0x80, 0xaf]), 1, 3, 0xe0],
    ["a UTF-16 surrogate", bytes([0xed, 0xa0, 0x80]), 1, 1, 0xed],
    ["a code point past U+10FFFF", bytes("\n\n", [0xf4, 0x90, 0x80, 0x80]), 3, 1, 0xf4],
    ["a UTF-16 LE BOM", bytes([0xff, 0xfe, 0x61, 0x00]), 1, 1, 0xff],
    ["a continuation byte with no lead", bytes("a\r\nb", [0xbf]), 2, 2, 0xbf],
  ])("%s", (_name, input, line, col, byte) => {
    expect(decodeText(input)).toEqual({ ok: false, line, col, byte });
  });
});

describe("firstInvalidUtf8", () => {
  test.each([
    [bytes("plain"), 5],
    [bytes("é✓𝄞"), 9],
    [bytes([0xf0, 0x9f, 0x98, 0x80]), 4], // U+1F600
    [bytes([0xf4, 0x8f, 0xbf, 0xbf]), 4], // U+10FFFF
    [bytes([0xee, 0x80, 0x80]), 3], // U+E000, just past the surrogates
    [bytes("a", [0xf8, 0x88, 0x80, 0x80, 0x80]), 1], // 5-byte form
    [bytes("ab", [0xc3]), 2],
    [bytes([0xc3, 0x41]), 0],
    [bytes([0xf0, 0x8f, 0xbf, 0xbf]), 0], // overlong 4-byte
  ])("%#: %j -> %d", (input, expected) => {
    expect(firstInvalidUtf8(input)).toBe(expected);
  });

  test("agrees with the platform's fatal decoder on every 2-byte prefix", () => {
    const fatal = new TextDecoder("utf-8", { fatal: true });
    for (let a = 0x80; a <= 0xff; a++)
      for (const b of [0x00, 0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc0]) {
        const input = Uint8Array.of(a, b, 0x80, 0x80);
        let valid = true;
        try {
          fatal.decode(input);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8(input) === input.length, `${a.toString(16)} ${b.toString(16)}`).toBe(valid);
      }
  });
});

describe("encodeLike restores what decodeText took away", () => {
  test.each([
    ["LF", bytes("a: 1\nb: |\n  x\n")],
    ["CRLF", bytes("a: 1\r\nb: |\r\n  x\r\n")],
    ["BOM", bytes(BOM, "a: 1\n")],
    ["BOM + CRLF", bytes(BOM, "a: 1\r\nb: 2\r\n")],
    ["mixed", bytes("a\r\nb\n")],
    ["no final newline, CRLF", bytes("a\r\nb")],
  ])("%s round-trips byte for byte", (_name, input) => {
    const d = decodeText(input);
    if (!d.ok) throw new Error("fixture is valid UTF-8");
    expect(Buffer.from(encodeLike(d.text, d), "utf8").equals(input)).toBe(true);
  });

  test("an edited CRLF + BOM text is written back with CRLF and the BOM", () => {
    const d = decodeText(bytes(BOM, "a: 1\r\n"));
    if (!d.ok) throw new Error("fixture is valid UTF-8");
    expect(encodeLike(`${d.text}b: 2\n`, d)).toBe("\ufeffa: 1\r\nb: 2\r\n");
    expect(encodeLike("a\nb\n", { bom: false, crlf: false })).toBe("a\nb\n");
  });
});
