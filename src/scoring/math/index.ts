export { extractAnswer, finalAnswer } from "./extractAnswer.js";
export { GraderError } from "./graderError.js";
export { INVALID, gsm8kEqual, gsm8kExtractGold, gsm8kExtractPrediction } from "./gsm8k.js";
export { stripAnswerString } from "./normalize.js";
export { MATH_EQUAL_BUDGET_MS, mathEqual } from "./mathEqual.js";
export { wordToNumber } from "./word2number.js";
