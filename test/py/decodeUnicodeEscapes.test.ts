import { describe, expect, test } from "vitest";
import { decodeUnicodeEscapes } from "../../src/py/index.js";

describe("decodeUnicodeEscapes (Python's encode('utf-8').decode('unicode_escape'))", () => {
  test.each([
    ["<think>\\n", "<think>\n"],
    ["a\\tb\\\\c\\'d\\\"e", "a\tb\\c'd\"e"],
    ["\\x41\\u00e9\\U0001F600", "Aé😀"],
    ["\\101\\60\\0", "A0\0"],
    ["line\\\ncontinued", "linecontinued"],
    ["keep \\q and \\d", "keep \\q and \\d"],
    ["already\nreal", "already\nreal"],
  ])("%j -> %j", (input, output) => {
    expect(decodeUnicodeEscapes(input)).toBe(output);
  });

  test("non-ASCII text becomes Latin-1 mojibake, as upstream (spec quirk 21)", () => {
    expect(decodeUnicodeEscapes("café")).toBe("cafÃ©");
  });

  test("empty and missing give undefined (upstream's None)", () => {
    expect(decodeUnicodeEscapes("")).toBeUndefined();
    expect(decodeUnicodeEscapes(undefined)).toBeUndefined();
  });

  test.each([
    ["oops\\", /\\ at end of string/],
    ["\\x4", /truncated \\xXX escape/],
    ["\\u12G4", /truncated \\uXXXX escape/],
    ["\\U00110000", /illegal Unicode character/],
    ["\\N{BULLET}", /named escapes are not supported/],
  ])("%j is refused, naming the flag", (input, error) => {
    expect(() => decodeUnicodeEscapes(input, "--assistant-prefill")).toThrow(error);
    expect(() => decodeUnicodeEscapes(input, "--assistant-prefill")).toThrow(/^--assistant-prefill: /);
  });
});
