/**
 * Python's backslash escapes that stand for one fixed character (a backslash before a newline is a
 * line continuation and stands for nothing), shared by string literals and the unicode_escape codec.
 */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\n": "", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};

/** Hex digits after `\x`, `\u` and `\U`. */
export const HEX_ESCAPE_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
