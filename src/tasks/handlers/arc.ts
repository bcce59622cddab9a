import { TaskError } from "../../errors.js";
import { pyStr } from "../../py/index.js";
import { arcExtractPrediction, arcGold, INVALID } from "../../scoring/index.js";
import type { Handler } from "../types.js";
import { field, renderTemplate, verdict } from "./handlerKit.js";
import { selectSlice } from "./rowSelection.js";

const CANONICAL = "ABCD";

/**
 * ARC-Challenge: the first four choice texts as "A.text" lines (labels ignored, a fifth choice
 * dropped, as upstream), stored in `choices_text` because results.json shows it. A key outside
 * A-D/1-4 ("E") aborts upstream's scoring; arcGold keeps it, so such a row is scored wrong.
 */
export const arcHandler: Handler = {
  selectRows: selectSlice,
  makePrompt(row, { task }) {
    const choices = field(row, "choices", "arc_c") as { text?: unknown } | null;
    if (choices === null || typeof choices !== "object" || !Array.isArray(choices.text)) {
      throw new TaskError(`arc_c: row ${row._index} has no choices.text list; the data must have ai2_arc's columns`);
    }
    row["choices_text"] = choices.text
      .slice(0, CANONICAL.length)
      .map((text, i) => `${CANONICAL[i]}.${pyStr(text)}`)
      .join("\n");
    return renderTemplate(task, row);
  },
  score: (response, row, task) =>
    verdict(arcExtractPrediction(response) === arcGold(pyStr(field(row, task.answer_key, "arc_c")))),
  answerKey: (response) => {
    const letter = arcExtractPrediction(response);
    return letter === INVALID ? null : letter;
  },
};
