// Answer extraction and equivalence: the code that decides the published numbers.
export { MATH_EQUAL_BUDGET_MS, extractAnswer, mathEqual, stripAnswerString, wordToNumber } from "./math/index.js";
export {
  INVALID,
  arcExtractPrediction,
  arcGold,
  choiceAnswerClean,
  getMultipleChoiceAnswer,
  gsm8kEqual,
  gsm8kExtractGold,
  gsm8kExtractPrediction,
  mmluProExtractAnswer,
} from "./choice/index.js";
export {
  lastCodeBlock,
  lcbPostProcess,
  runCallTest,
  runPython,
  runStdioTest,
  runUntilFailure,
  type RunPythonOptions,
  type RunPythonResult,
  type TestOutcome,
} from "./code/index.js";
