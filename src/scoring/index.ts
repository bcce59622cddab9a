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
export { runPython, type RunPythonOptions, type RunPythonResult } from "./code/index.js";
