export { getMultipleChoiceAnswer, multipleChoiceAnswer } from "./multipleChoice.js";
export { mmluProAnswer, mmluProExtractAnswer } from "./mmluPro.js";
export { arcExtractPrediction, arcGold } from "./arc.js";
