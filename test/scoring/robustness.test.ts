import { expect, test } from "vitest";
import { MATH_EQUAL_BUDGET_MS, extractAnswer, mathEqual } from "../../src/scoring/index.js";

// mathEqual must be total and bounded: it never throws and never takes much longer than its budget.
const NASTY = [
  "(".repeat(5000),
  "{".repeat(5000) + "}".repeat(4999),
  "\\frac{".repeat(2000),
  "x^".repeat(3000) + "2",
  "10^{10^{10^{10^{10}}}}",
  "1000!",
  "\\sqrt{".repeat(500) + "2" + "}".repeat(500),
  "((((((((((x+1)^2)^2)^2)^2)^2)^2)^2)^2)^2)^2",
  "\\begin{pmatrix}" + "1&".repeat(400) + "1\\end{pmatrix}",
  Array.from({ length: 300 }, (_, i) => `${i}`).join(","),
  "\\left(\\right)",
  "=",
  "==",
  "\\",
  "$",
  "\\boxed{",
  "x < y < z",
  "\u0000\uffff",
  "a".repeat(100_000),
  "\\sin(\\sin(\\sin(\\sin(\\sin(\\sin(\\sin(x)))))))",
];

test.each(NASTY.map((s) => [s.slice(0, 40), s]))("mathEqual survives %j", (_label, input) => {
  const start = performance.now();
  for (const other of ["1", "x", input, "(1,2)", "\\begin{pmatrix}1\\end{pmatrix}"]) {
    expect(typeof mathEqual(input, other)).toBe("boolean");
    expect(typeof mathEqual(other, input)).toBe("boolean");
  }
  expect(performance.now() - start).toBeLessThan(10 * (MATH_EQUAL_BUDGET_MS + 500));
});

test("a set of many items is compared within the budget", () => {
  const items = Array.from({ length: 60 }, (_, i) => `\\frac{${i}}{${i + 1}}`);
  const start = performance.now();
  expect(mathEqual(`\\{${items.join(",")}\\}`, `\\{${[...items].reverse().join(",")}\\}`)).toBe(true);
  expect(performance.now() - start).toBeLessThan(MATH_EQUAL_BUDGET_MS + 500);
});

test("null, undefined and non-strings give false", () => {
  expect(mathEqual(null, "1")).toBe(false);
  expect(mathEqual("1", undefined)).toBe(false);
  expect(mathEqual(1 as unknown as string, "1")).toBe(true);
});

test("extractAnswer survives pathological text", () => {
  for (const input of NASTY) expect(() => extractAnswer(input)).not.toThrow();
});

test("results do not depend on call order (deterministic sampling, no shared state)", () => {
  const pairs: Array<[string, string]> = [["x^2+2x+1", "(x+1)^2"], ["\\sqrt{x^2}", "x"], ["\\frac{1}{3}", "0.3333"]];
  const first = pairs.map(([a, b]) => mathEqual(a, b));
  const again = [...pairs].reverse().map(([a, b]) => mathEqual(a, b)).reverse();
  expect(again).toEqual(first);
});
