import type { Row } from "../../data/index.js";
import { TaskError } from "../../errors.js";
import { pyStr, pyStrip } from "../../py/index.js";
import { mmluProAnswer, multipleChoiceAnswer } from "../../scoring/index.js";
import type { Handler, TaskConfig } from "../types.js";
import { field, renderTemplate, verdict } from "./handlerKit.js";
import { selectSlice } from "./rowSelection.js";

const LETTERS = "ABCDEFGHIJKLMNOP";

function optionList(row: Row, key: string, handler: string): unknown[] {
  const options = field(row, key, handler);
  if (!Array.isArray(options)) {
    throw new TaskError(`${handler}: row ${row._index} has "${key}" that is not a list of options; check the data file`);
  }
  return options;
}

/** `(A) x (B) y ...` for as many options as there are letters (`str(option).strip()` each). */
function labelled(options: unknown[], letters: string): string[] {
  return options.slice(0, letters.length).map((option, i) => `(${letters[i]}) ${pyStrip(pyStr(option))}`);
}

function letterAt(letters: string, index: unknown, row: Row, what: string): string {
  const letter = typeof index === "number" && Number.isInteger(index) && index >= 0 ? letters[index] : undefined;
  if (letter === undefined) {
    throw new TaskError(`${what}: row ${row._index} has answer index ${JSON.stringify(index)}, not an index into ${letters}; check the data file`);
  }
  return letter;
}

/** maj@k's vote of an A-D response: the letter the scorer reads, null when it reads none. */
function abcdAnswerKey(response: string): string | null {
  const answer = multipleChoiceAnswer(response);
  return /^[A-D]$/.test(answer) ? answer : null;
}

/** MMLU: four choices; the answer column is the 0-3 index. */
export const mmluHandler: Handler = {
  selectRows: selectSlice,
  makePrompt(row, { task }) {
    const choices = labelled(optionList(row, "choices", "mmlu"), "ABCD").join(" ");
    return renderTemplate(task, { prompt: `${pyStr(field(row, "question", "mmlu"))}\nAnswer Choices: ${choices}` });
  },
  score: (response, row, task) =>
    verdict(letterAt("ABCD", field(row, task.answer_key, "mmlu"), row, "mmlu") === multipleChoiceAnswer(response)),
  answerKey: abcdAnswerKey,
};

/** MMLU-Pro: up to ten options; like upstream, the row's `options` become the labelled strings. */
export const mmluProHandler: Handler = {
  selectRows: selectSlice,
  makePrompt(row, { task }) {
    const options = labelled(optionList(row, "options", "mmlu_pro"), LETTERS);
    row["options"] = options;
    return renderTemplate(task, { prompt: `${pyStr(field(row, "question", "mmlu_pro"))}\nAnswer Choices: ${options.join(" ")}` });
  },
  score: (response, row) =>
    verdict(letterAt(LETTERS, field(row, "answer_index", "mmlu_pro"), row, "mmlu_pro") === mmluProAnswer(response)),
  answerKey: mmluProAnswer,
};

/**
 * GPQA-Diamond: the four answers are shuffled with the run's Python-compatible generator, one
 * shuffle per row in row order; the correct letter is written to `Answer` (the answer_key) and the
 * question with options to `prompt`, so that results.json can be scored again later.
 */
export const gpqaDiamondHandler: Handler = {
  selectRows: selectSlice,
  makePrompt(row, { task, random }) {
    const correct = field(row, "Correct Answer", "gpqa_diamond");
    const answers = [correct, ...[1, 2, 3].map((i) => field(row, `Incorrect Answer ${i}`, "gpqa_diamond"))];
    random.shuffle(answers);
    const options = answers.map((answer, i) => `${"ABCD"[i]}) ${pyStr(answer)}`).join(", ");
    row["Answer"] = "ABCD"[answers.findIndex((answer) => answer === correct)];
    row["prompt"] = `${pyStr(field(row, "Question", "gpqa_diamond"))}\n${options}`;
    return renderTemplate(task, { prompt: row["prompt"] });
  },
  score: (response: string, row: Row, task: TaskConfig) =>
    verdict(field(row, task.answer_key, "gpqa_diamond") === multipleChoiceAnswer(response)),
  answerKey: abcdAnswerKey,
};
