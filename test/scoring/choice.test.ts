import { describe, expect, test } from "vitest";
import {
  arcExtractPrediction,
  arcGold,
  choiceAnswerClean,
  getMultipleChoiceAnswer,
  gsm8kEqual,
  gsm8kExtractGold,
  gsm8kExtractPrediction,
  mmluProAnswer,
  mmluProExtractAnswer,
  multipleChoiceAnswer,
} from "../../src/scoring/index.js";

describe("getMultipleChoiceAnswer (spec 7.5, GPQA and MMLU)", () => {
  test.each([
    ["The answer is \\boxed{C}", "C"],
    ["\\boxed{B}. This is a good answer", "A"], // upstream quirk: the article "a" counts
    ["(D)", "D"],
    ["I pick b.", "B"],
    ["Option B, not C", "C"],
    ["ABCD", "ABCD"], // no standalone letter: the text itself
    ["  hello.  ", "hello"],
    ["x/", "x"],
    ["éA", "éA"], // Python's \b is Unicode-aware: no boundary between é and A, and no letter means the text itself
    ["The choice is D.", "D"],
  ])("getMultipleChoiceAnswer(%j) is %j", (text, expected) => {
    expect(getMultipleChoiceAnswer(text)).toBe(expected);
  });
});

describe("multipleChoiceAnswer and mmluProAnswer: the last answer anchor, else upstream's rule", () => {
  test.each([
    ["The answer is (B), which is a classic result.", "B"],
    ["\\boxed{B}. This is a good answer", "B"],
    ["Option B, not C", "C"], // no anchor: upstream's last standalone letter
    ["the answer is not A, it is C", "C"], // "not" is no hedge: no anchor, upstream's rule
  ])("multipleChoiceAnswer(%j) is %j", (text, expected) => {
    expect(multipleChoiceAnswer(text)).toBe(expected);
  });

  test.each<[string, string | null]>([
    ["so the answer is (C). Also the answer is (D)", "D"],
    ["It might be E, I think", "I"], // no anchor: upstream's rule, pronoun included
    ["The answer is (K)", null], // K is not a choice, and no other letter A-J stands alone
  ])("mmluProAnswer(%j) is %j", (text, expected) => {
    expect(mmluProAnswer(text)).toBe(expected);
  });
});

describe("choiceAnswerClean", () => {
  test.each([
    ["(B)", "B"],
    [": E.", "E"],
    ["\n C \n", "C"],
    ["nothing", "nothing"],
    ["answer: e", "E"],
  ])("choiceAnswerClean(%j) is %j", (text, expected) => {
    expect(choiceAnswerClean(text)).toBe(expected);
  });
});

describe("mmluProExtractAnswer (spec 7.6)", () => {
  test.each([
    ["so the answer is (C). Also the answer is (D)", "C"],
    ["the answer is J", "J"],
    ["The Answer is B", "B"], // "Answer is" is not the lower-case pattern; the last letter wins
    ["Reasoning...\nAnswer: G\nmore", "G"],
    ["answer:\nH", "H"], // \s* crosses the newline
    ["I think it is E", "E"],
    ["It might be E, I think", "I"], // the pronoun counts, as upstream
    ["no letters here", null],
    ["choose K", null],
  ])("mmluProExtractAnswer(%j) is %j", (text, expected) => {
    expect(mmluProExtractAnswer(text)).toBe(expected);
  });
});

describe("GSM8K (spec 5.4)", () => {
  test.each([
    ["Natalia sold 48/2 = 24 clips.\n#### 72", "72"],
    ["#### 1,234", "1234"],
    ["#### -5", "-5"],
    ["no marker", "[invalid]"],
  ])("gsm8kExtractGold(%j) is %j", (text, expected) => {
    expect(gsm8kExtractGold(text)).toBe(expected);
  });

  test.each([
    ["The final answer is 18", "18"],
    ["The final answer is $1,000", "1000"],
    ["so \\boxed{3.50}", "3.50"],
    ["The final answer is 42. I hope it is correct.", "42"],
    ["I do not know", "[invalid]"],
    ["The answer is -7 apples", "-7"],
  ])("gsm8kExtractPrediction(%j) is %j", (text, expected) => {
    expect(gsm8kExtractPrediction(text)).toBe(expected);
  });

  test.each([
    ["3.50", "3.5", true],
    ["18", "18", true],
    ["18.", "18", true],
    ["18.0", "18", true],
    ["17", "18", false],
    ["1000", "1000", true],
    ["[invalid]", "[invalid]", false],
    ["abc", "abc", true],
  ])("gsm8kEqual(%j, %j) is %s", (pred, gold, expected) => {
    expect(gsm8kEqual(pred, gold)).toBe(expected);
  });

  test("\\boxed{3.50} against #### 3.5 is correct (upstream compared strings)", () => {
    expect(gsm8kEqual(gsm8kExtractPrediction("\\boxed{3.50}"), gsm8kExtractGold("#### 3.5"))).toBe(true);
  });
});

describe("ARC (spec 5.3)", () => {
  test.each([
    ["A", "A"], ["D", "D"], ["1", "A"], ["4", "D"], ["E", "E"],
  ])("arcGold(%j) is %j", (key, expected) => {
    expect(arcGold(key)).toBe(expected);
  });

  test.each([
    ["The best answer is C", "C"],
    ["The best answer is C. Then the best answer is D.", "D"],
    ["the best answer is b", "B"], // upstream kept "b", which never matched
    ["\\boxed{B}", "B"],
    ["I cannot tell", "[invalid]"],
  ])("arcExtractPrediction(%j) is %j", (text, expected) => {
    expect(arcExtractPrediction(text)).toBe(expected);
  });

  test("an answer key E never matches and does not throw", () => {
    expect(arcExtractPrediction("The best answer is A") === arcGold("E")).toBe(false);
  });
});
