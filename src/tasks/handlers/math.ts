import type { Row } from "../../data/index.js";
import { pyStr } from "../../py/index.js";
import { extractAnswer, finalAnswer, mathEqual, stripAnswerString } from "../../scoring/index.js";
import type { Handler, Score, TaskConfig } from "../types.js";
import { field, gradedVerdict, renderTemplate } from "./handlerKit.js";
import { filterContains, selectSlice, sliceRows } from "./rowSelection.js";

/**
 * The math family (upstream MathTaskHandler and its subclasses): the prediction is the final
 * answer of the response (last \boxed{}, or "the answer is", or last number); handlers differ only
 * in how they read the reference answer, build the prompt and filter rows. mathEqual normalises
 * both sides the same way (upstream's strip_answer_string, without its sorting of integer lists,
 * so that "21,-8" still compares in order with "(21,-8)"), so references are passed as written.
 */
type GoldReader = (row: Row, task: TaskConfig) => string | null;

function scoreAgainst(gold: GoldReader) {
  return (response: string, row: Row, task: TaskConfig): Score => gradedVerdict(() => mathEqual(finalAnswer(response), gold(row, task)));
}

/** maj@k's vote of a response: its extracted answer, normalised. */
export function mathAnswerKey(response: string): string | null {
  const answer = extractAnswer(response);
  return answer === null ? null : stripAnswerString(answer);
}

/** `str(row[answer_key])`: math500, aime, amc23, omni_math, liveaops. */
const fieldGold: GoldReader = (row, task) => pyStr(field(row, task.answer_key, task.handler));

/** Prompt from the whole row (`template.format(**row)`). */
const rowPrompt = (row: Row, ctx: { task: TaskConfig }): string => renderTemplate(ctx.task, row);

export const mathHandler: Handler = {
  selectRows: selectSlice,
  makePrompt: rowPrompt,
  score: scoreAgainst(fieldGold),
  answerKey: mathAnswerKey,
};

/** AIME: `template.format(prompt=row[question_key])`; rows filtered on `url` when preprocess_config has one. */
export const aimeHandler: Handler = {
  selectRows(rows, { task, start, end }) {
    const url = task.preprocess_config["url"];
    const kept = url === undefined ? rows : filterContains(rows, "url", pyStr(url), "aime preprocess_config.url");
    return sliceRows(kept, start, end);
  },
  makePrompt: (row, { task }) => renderTemplate(task, { prompt: field(row, task.question_key, task.handler) }),
  score: scoreAgainst(fieldGold),
  answerKey: mathAnswerKey,
};

/** AMC 2023: upstream hard-codes the "2023" url filter in the handler. */
export const amc23Handler: Handler = {
  selectRows: (rows, { start, end }) => sliceRows(filterContains(rows, "url", "2023", "amc23"), start, end),
  makePrompt: rowPrompt,
  score: scoreAgainst(fieldGold),
  answerKey: mathAnswerKey,
};

/** Minerva: the reference is the \boxed{} answer extracted from the worked solution. */
export const minervaMathHandler: Handler = {
  selectRows: selectSlice,
  makePrompt: rowPrompt,
  score: scoreAgainst((row, task) => finalAnswer(pyStr(field(row, task.answer_key, task.handler)))),
  answerKey: mathAnswerKey,
};

/** OlympiadBench: `final_answer` is a list; the first entry is the reference. */
export const olympiadBenchMathHandler: Handler = {
  selectRows: selectSlice,
  makePrompt: rowPrompt,
  score: scoreAgainst((row, task) => {
    const answers = field(row, task.answer_key, task.handler);
    const first: unknown = Array.isArray(answers) ? answers[0] : answers;
    return pyStr(first);
  }),
  answerKey: mathAnswerKey,
};

export const omniMathHandler: Handler = { selectRows: selectSlice, makePrompt: rowPrompt, score: scoreAgainst(fieldGold), answerKey: mathAnswerKey };
export const liveAopsHandler: Handler = { selectRows: selectSlice, makePrompt: rowPrompt, score: scoreAgainst(fieldGold), answerKey: mathAnswerKey };
