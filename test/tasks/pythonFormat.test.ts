import { describe, expect, it } from "vitest";
import { TaskError } from "../../src/errors.js";
import { formatPython, pythonRepr } from "../../src/tasks/pythonFormat.js";

describe("formatPython", () => {
  it("fills named fields and unescapes doubled braces, as str.format does", () => {
    expect(formatPython("Return your final response within \\boxed{{}}. {problem}", { problem: "1+1?", answer: "2" })).toBe(
      "Return your final response within \\boxed{}. 1+1?",
    );
  });

  it("inserts values with Python's str()", () => {
    expect(formatPython("{a}|{b}|{c}|{d}|{e}|{f}", { a: 3, b: 0.1, c: true, d: null, e: ["x", "it's"], f: { k: 1e-7 } })).toBe(
      `3|0.1|True|None|['x', "it's"]|{'k': 1e-07}`,
    );
  });

  it("supports indexing, attributes and !r", () => {
    expect(formatPython("{a[0]} {b[k]} {b.k} {s!r}", { a: ["first"], b: { k: "v" }, s: "q" })).toBe("first v v 'q'");
  });

  it("names a missing field and lists the available ones", () => {
    expect(() => formatPython("{prompt}", { problem: "x" })).toThrow(/field \{prompt\} has no value; available: problem/);
  });

  it("fills positional fields (model user templates use `{}`)", () => {
    expect(formatPython("Question: {}\nAnswer: ", {}, ["Why?"])).toBe("Question: Why?\nAnswer: ");
    expect(formatPython("{1}{0}{k}", { k: "!" }, ["a", "b"])).toBe("ba!");
    expect(() => formatPython("{}{0}", {}, ["a"])).toThrow(/automatic field numbering to manual/);
    expect(() => formatPython("{}{}", {}, ["a"])).toThrow(/positional field \{\} has no value \(1 given\)/);
  });

  it("rejects stray braces and format specs", () => {
    expect(() => formatPython("a } b", {})).toThrow(TaskError);
    expect(() => formatPython("a { b", {})).toThrow(/single '\{'/);
    expect(() => formatPython("{x:>3}", { x: 1 })).toThrow(/format spec/);
  });
});

it("pythonRepr escapes like Python", () => {
  expect(pythonRepr("a\\b\n\t\u0001'")).toBe(`"a\\\\b\\n\\t\\x01'"`);
  expect(pythonRepr(`'"`)).toBe(`'\\'"'`);
});
