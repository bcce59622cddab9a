import { pyStr } from "../../py/index.js";
import { gsm8kEqual, gsm8kExtractGold, gsm8kExtractPrediction, INVALID } from "../../scoring/index.js";
import type { Handler } from "../types.js";
import { field, renderTemplate, verdict } from "./handlerKit.js";
import { selectSlice } from "./rowSelection.js";

/** GSM8K: gold after "#### ", prediction from the response; compared as numbers (3.50 == 3.5). */
export const gsm8kHandler: Handler = {
  selectRows: selectSlice,
  makePrompt: (row, { task }) => renderTemplate(task, row),
  score: (response, row, task) =>
    verdict(gsm8kEqual(gsm8kExtractPrediction(response), gsm8kExtractGold(pyStr(field(row, task.answer_key, "gsm8k"))))),
  answerKey: (response) => {
    const number = gsm8kExtractPrediction(response);
    return number === INVALID ? null : number;
  },
};
