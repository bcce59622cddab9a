import { describe, expect, test } from "vitest";
import { pyStrip } from "../../src/py/index.js";

describe("pyStrip (str.strip)", () => {
  test("Python's whitespace set: \\x1c-\\x1f, \\x85 and the Unicode spaces, not U+FEFF", () => {
    expect(pyStrip("\x1c\x85 a \u3000\n")).toBe("a");
    expect(pyStrip("\t\n\v\f\r\x1c\x1d\x1e\x1f \xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000x")).toBe("x");
    expect(pyStrip("\ufeffa")).toBe("\ufeffa");
    expect(pyStrip("\u200ba")).toBe("\u200ba");
  });

  test("rstrip keeps the start", () => {
    expect(pyStrip("  a  ", "end")).toBe("  a");
  });

  // A response of 40k spaces between two words is what made the old regex (^W+|W+$) take seconds.
  test("long whitespace runs: inside kept, at the ends removed, all-space to empty", () => {
    const run = " \n\t\u3000".repeat(10_000);
    expect(pyStrip(`a${run}b`)).toBe(`a${run}b`);
    expect(pyStrip(`${run}a${run}b${run}`)).toBe(`a${run}b`);
    expect(pyStrip(run + run)).toBe("");
    expect(pyStrip(`${run}a${run}`, "end")).toBe(`${run}a`);
  });
});
