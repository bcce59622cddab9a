export { choiceAnswerClean, getMultipleChoiceAnswer } from "./multipleChoice.js";
export { mmluProExtractAnswer } from "./mmluPro.js";
export { INVALID, gsm8kEqual, gsm8kExtractGold, gsm8kExtractPrediction } from "./gsm8k.js";
export { arcExtractPrediction, arcGold } from "./arc.js";
