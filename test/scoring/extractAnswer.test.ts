import { describe, expect, test } from "vitest";
import { extractAnswer, finalAnswer } from "../../src/scoring/index.js";

// [response, expected extracted answer]. Upstream SkyThought cases (spec 7.1) and Qwen2.5-Math's
// extract_answer behaviour, then our repairs (\fbox, sentence end after "the answer is").
const UPSTREAM: Array<[string, string | null]> = [
  ["The answer is \\(\\boxed{5x+1}\\). Great!", "5x+1"],
  ["so the result is \\boxed{\\frac{1}{2}}.", "\\frac{1}{2}"],
  ["nested \\boxed{\\frac{\\sqrt{3}}{2}} done", "\\frac{\\sqrt{3}}{2}"],
  ["first \\boxed{1} then \\boxed{2}", "2"],
  ["\\boxed{\\{1,2\\}}", "{1,2}"],
  ["\\boxed 5$ and more", "5"],
  ["unclosed \\boxed{3+4", "3+4"],
  ["ends with boxed", null],
  ["\\boxed{}", null],
  ["Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.", "\\frac{3}{4}"],
  ["The final answer is $28 \\%$. I hope it is correct.", "28"],
  ["We conclude the answer is 17", "17"],
  ["Thus the final answer is 12", "12"],
  ["所以答案是 42\n\n其他", "42"],
  ["I computed 3, then 4, and finally 1,234", "1234"],
  ["the value is -0.5", "-0.5"],
  ["the value is .5", "0.5"],
  ["no numbers at all", null],
  ["", null],
  ["The answer is: 7", "7"],
  ["\\boxed{x = 3}", "3"],
  ["\\boxed{\\text{(B)}}", "(B)"],
  ["\\boxed{10\\%}", "10"],
  ["\\boxed{\\$5.00}", "5"],
  ["\\boxed{90^\\circ}", "90"],
  ["\\boxed{\\dfrac{3}{4}}", "\\frac{3}{4}"],
  ["\\boxed{1,000}", "1000"],
  ["\\boxed{3, 1, 2}", "1,2,3"],
  ["ки step one ки \\boxed{9}", "9"],
  ["\\boxed{\n42\n}", "42"],
  ["\\boxed{5}.", "5"],
  ["\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}", "(3,\\frac{\\pi}{2})"],
];

const OURS: Array<[string, string | null]> = [
  ["The final answer is 42. I hope that's correct.", "42"],
  ["So \\fbox{7} is it.", "7"],
  ["\\boxed{3} but then \\fbox{4}", "4"],
  ["the answer is $\\frac{1}{2}$. Next we check.", "\\frac{1}{2}"],
  ["The answer is 3.5. Done!", "3.5"],
  ["The answer is 12\nwith more text", "12"],
];

describe("extractAnswer, upstream behaviour", () => {
  test.each(UPSTREAM)("extractAnswer(%j) is %j", (text, expected) => {
    expect(extractAnswer(text)).toBe(expected);
  });
});

describe("extractAnswer, repaired behaviour", () => {
  test.each(OURS)("extractAnswer(%j) is %j", (text, expected) => {
    expect(extractAnswer(text)).toBe(expected);
  });
});

test("a long reasoning text ending in a boxed answer", () => {
  const text = `${"Let me think about this step by step. ".repeat(2000)}Therefore $\\boxed{\\frac{7}{3}}$.`;
  expect(extractAnswer(text)).toBe("\\frac{7}{3}");
});

test("non-string input gives null", () => {
  expect(extractAnswer(undefined as unknown as string)).toBeNull();
});

test("finalAnswer is the answer as written; extractAnswer normalises it and sorts integer lists, as upstream", () => {
  expect(finalAnswer("so the roots are \\boxed{21, -8}.")).toBe("21, -8");
  expect(extractAnswer("so the roots are \\boxed{21, -8}.")).toBe("-8,21");
  expect(finalAnswer("no answer here")).toBeNull();
  expect(finalAnswer(42 as unknown as string)).toBeNull();
});
