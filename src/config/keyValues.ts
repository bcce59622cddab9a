import { ConfigError } from "../errors.js";
import { parsePythonLiteral, type PyDict } from "../py/index.js";

/**
 * Upstream's parser for `--backend-args`, `--sampling-params` and `--task-args` (spec 2.4): the
 * whole string as a Python dict literal, else `k=v,k=v` with every space removed and each value
 * read as a Python literal (kept as the raw string when it is not one).
 *
 * @param flag the option being parsed, named in the error message
 */
export function parseKeyValues(input: string, flag: string): PyDict {
  const whole = parsePythonLiteral(input);
  if (whole instanceof Map) return whole;
  const compact = input.replaceAll(" ", "");
  const out: PyDict = new Map();
  if (compact === "") return out;
  for (const piece of compact.split(",")) {
    const parts = piece.split("=");
    if (parts.length !== 2 || parts[0] === "") {
      throw new ConfigError(
        `${flag}: expected a comma-separated list of parameters arg1=val1,arg2=val2 or a dictionary, ` +
          `got ${JSON.stringify(input)} (the piece ${JSON.stringify(piece)} is not key=value)`,
      );
    }
    const [key, raw] = parts as [string, string];
    const value = parsePythonLiteral(raw);
    out.set(key, value === undefined ? raw : value);
  }
  return out;
}
