import { describe, expect, test } from "vitest";
import { formatPython, PyFloat, pyFloatRepr, pyRepr, pyStr } from "../../src/py/index.js";

describe("formatPython (Python str.format)", () => {
  test("named fields from a row, extra keys ignored, {{ }} escapes", () => {
    expect(formatPython("Return your final response within \\boxed{{}}. {problem}", { problem: "2+2?", answer: "4" })).toBe(
      "Return your final response within \\boxed{}. 2+2?",
    );
  });
  test("positional: auto and manual numbering", () => {
    expect(formatPython("Question: {}\nAnswer: ", ["x"])).toBe("Question: x\nAnswer: ");
    expect(formatPython("{1}{0}{1}", ["a", "b"])).toBe("bab");
  });
  test("values go through str()", () => {
    expect(formatPython("{a} {b} {c} {d} {e} {f} {g}", { a: true, b: null, c: 3, d: 2.5, e: [1, "x", false], f: { k: 0.1 }, g: 1e-5 })).toBe(
      "True None 3 2.5 [1, 'x', False] {'k': 0.1} 1e-05",
    );
  });
  test("attribute and index access", () => {
    expect(formatPython("{row[choices][1]} {row.id}", { row: { choices: ["A", "B"], id: 7 } })).toBe("B 7");
  });
  test("conversions and format specs", () => {
    expect(formatPython("{0!r} {0!s} {1!a}", ["it's", "é"])).toBe(`"it's" it's '\\xe9'`);
    expect(formatPython("[{:>5}] [{:<4}] [{:^6}] [{:*^7}]", ["ab", "c", "mid", "x"])).toBe("[   ab] [c   ] [ mid  ] [***x***]");
    expect(formatPython("{:.2f} {:05d} {:+d} {:,} {:.1%} {:.3}", [3.14159, 42, 7, 1234567, 0.256, "abcdef"])).toBe(
      "3.14 00042 +7 1,234,567 25.6% abc",
    );
    expect(formatPython("{:.2e}", [12345.678])).toBe("1.23e+04");
  });
  test.each([
    ["{problem", { problem: 1 }, /expected '}' before end of string/],
    ["oops }", {}, /Single '}' encountered/],
    ["{missing}", { problem: 1 }, /\{missing\} is not in the values \(problem\)/],
    ["{} {0}", ["a"], /cannot switch from automatic field numbering to manual/],
    ["{0} {}", ["a"], /cannot switch from manual field specification to automatic/],
    ["{} {}", ["a"], /Replacement index 1 out of range/],
    ["{0!x}", ["a"], /Unknown conversion specifier x/],
    ["{:q}", ["a"], /format spec "q" of field \{\} is not supported/],
  ] as const)("%s is refused like Python", (template, values, error) => {
    expect(() => formatPython(template, values)).toThrow(error);
  });
});

describe("Python str() and repr()", () => {
  test.each([
    [0.1, "0.1"], [1e16, "1e+16"], [1.5e16, "1.5e+16"], [123456789012345.6, "123456789012345.6"], [1e-4, "0.0001"],
    [1.5e-5, "1.5e-05"], [-2.5, "-2.5"], [1 / 3, "0.3333333333333333"], [-0, "-0.0"], [NaN, "nan"], [-Infinity, "-inf"],
    [1.7976931348623157e308, "1.7976931348623157e+308"], [5e-324, "5e-324"],
  ])("float repr of %d is %s", (x, text) => {
    expect(pyFloatRepr(x)).toBe(text);
  });
  test("integral numbers print as ints, big ones in full", () => {
    expect(pyStr(3)).toBe("3");
    expect(pyStr(1e22)).toBe("10000000000000000000000");
    expect(pyStr(12345678901234567890n)).toBe("12345678901234567890");
  });
  test("a dataset's float (PyFloat) prints as Python's float, alone, inside containers and in {}", () => {
    expect(pyStr(new PyFloat(27))).toBe("27.0");
    expect(pyRepr({ answer: new PyFloat(27), xs: [new PyFloat(1e-5), 2] })).toBe("{'answer': 27.0, 'xs': [1e-05, 2]}");
    expect(formatPython("{a} and {b!r}", { a: new PyFloat(0.5), b: new PyFloat(3) })).toBe("0.5 and 3.0");
    expect(formatPython("[{a:>6}] [{a:.2f}] [{a:e}]", { a: new PyFloat(27) })).toBe("[  27.0] [27.00] [2.700000e+01]");
    expect(() => formatPython("{a:d}", { a: new PyFloat(27) })).toThrow(/needs an integer/);
  });
  test("string repr picks quotes and escapes like Python", () => {
    expect(pyRepr("a'b")).toBe(`"a'b"`);
    expect(pyRepr(`a'b"c`)).toBe(`'a\\'b"c'`);
    expect(pyRepr("tab\there\nnew\\ \x00 \u200b é 数")).toBe("'tab\\there\\nnew\\\\ \\x00 \\u200b é 数'");
  });
});
