export { extractAnswer } from "./extractAnswer.js";
export { stripAnswerString } from "./normalize.js";
export { MATH_EQUAL_BUDGET_MS, mathEqual } from "./mathEqual.js";
export { wordToNumber } from "./word2number.js";
