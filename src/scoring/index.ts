// Answer extraction and equivalence: the code that decides the published numbers.
export { choiceAnswerClean } from "./answer/index.js";
export {
  GraderError,
  INVALID,
  MATH_EQUAL_BUDGET_MS,
  extractAnswer,
  finalAnswer,
  gsm8kEqual,
  gsm8kExtractGold,
  gsm8kExtractPrediction,
  mathEqual,
  stripAnswerString,
  wordToNumber,
} from "./math/index.js";
export {
  arcExtractPrediction,
  arcGold,
  getMultipleChoiceAnswer,
  mmluProAnswer,
  mmluProExtractAnswer,
  multipleChoiceAnswer,
} from "./choice/index.js";
export {
  lastCodeBlock,
  lcbPostProcess,
  permittedLauncher,
  withSandboxPolicy,
  runCallTest,
  runPython,
  runStdioTest,
  runUntilFailure,
  type RunPythonOptions,
  type RunPythonResult,
  type TestOutcome,
} from "./code/index.js";
