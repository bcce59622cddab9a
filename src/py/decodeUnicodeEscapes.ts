import { ConfigError } from "../errors.js";
import { HEX_ESCAPE_DIGITS, SIMPLE_ESCAPES } from "./escapes.js";

/**
 * Upstream's handling of --system-prompt and --assistant-prefill (spec 2.5 step 2):
 * `s.encode("utf-8").decode("unicode_escape")`, so a typed `\n` becomes a newline. Like Python,
 * every other byte is read as Latin-1, which turns non-ASCII text into mojibake ("é" -> "Ã©"):
 * kept, because the decoded text is part of the run config and its hash. An empty or missing
 * string gives undefined (upstream's None). `flag` names the option in error messages.
 */
export function decodeUnicodeEscapes(text: string | undefined, flag = "--system-prompt"): string | undefined {
  if (!text) return undefined;
  const bytes = Buffer.from(text, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const c = String.fromCharCode(bytes[i]!);
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    if (i + 1 >= bytes.length) throw new ConfigError(`${flag}: \\ at end of string; write \\\\ for a backslash`);
    const e = String.fromCharCode(bytes[i + 1]!);
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e >= "0" && e <= "7") {
      const m = /^[0-7]{1,3}/.exec(bytes.subarray(i + 1, i + 4).toString("latin1"))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += 1 + m.length;
    } else if (e in HEX_ESCAPE_DIGITS) {
      const n = HEX_ESCAPE_DIGITS[e]!;
      const hex = bytes.subarray(i + 2, i + 2 + n).toString("latin1");
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) {
        throw new ConfigError(`${flag}: truncated \\${e}${"X".repeat(n)} escape at position ${i}; write \\\\${e} for a literal backslash`);
      }
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new ConfigError(`${flag}: illegal Unicode character \\${e}${hex} at position ${i}`);
      out += String.fromCodePoint(cp);
      i += 2 + n;
    } else if (e === "N") {
      throw new ConfigError(`${flag}: \\N{...} named escapes are not supported; type the character or use \\uXXXX`);
    } else {
      // Python keeps unknown escapes as they are (with a DeprecationWarning).
      out += "\\";
      i++;
    }
  }
  return out;
}
