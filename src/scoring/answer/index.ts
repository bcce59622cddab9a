// Where a response states its answer, and the markup around it: boxes, emphasis, choice letters.
export { finalBoxes, lastBoxed } from "./boxed.js";
export { choiceAnswerClean, rstripChars, stripChars } from "./choiceLetter.js";
export { stripEmphasis, unwrapFontCommands } from "./formatting.js";
