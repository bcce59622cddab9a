import type { Row } from "../../data/index.js";
import { DataError, TaskError } from "../../errors.js";
import { numericValue, pyStr } from "../../py/index.js";
import { finalAnswer, mathEqual } from "../../scoring/index.js";
import type { Handler, SelectOptions } from "../types.js";
import { field, gradedVerdict, renderTemplate } from "./handlerKit.js";
import { mathAnswerKey } from "./math.js";
import { sliceRows } from "./rowSelection.js";

/** Where upstream reads NUMINA's GPT difficulty labels (problem text -> gpt_difficulty_parsed). */
export const NUMINA_DIFFICULTY_DATASET = {
  path: "NovaSky-AI/labeled_numina_difficulty_859K",
  split: "train",
  columns: ["problem", "gpt_difficulty_parsed"],
};

/** Upstream runs each check under a 5 s alarm and records this exception text when it fires. */
const CHECK_LIMIT_MS = 5_000;
const TIMEOUT_REASON = "Function 'check_correctness' timed out after 5 seconds!";

/**
 * NUMINA keeps upstream's order: source filter, slice, "boxed" solutions only, then the difficulty
 * window (run whenever `filter_difficulty` is present, whatever its value). Problems without a label
 * are dropped, as NaN fails upstream's bound check.
 */
async function selectRows(rows: Row[], { task, start, end, loadRows }: SelectOptions): Promise<Row[]> {
  const pre = task.preprocess_config;
  let kept = rows;
  if ("source" in pre) {
    const source = pre["source"];
    kept = kept.filter((row) => row["source"] === source);
  }
  kept = sliceRows(kept, start, end).filter((row) => typeof row["solution"] === "string" && row["solution"].includes("boxed"));
  if (!("filter_difficulty" in pre)) return kept;

  const lower = bound(pre, "math_difficulty_lower_bound");
  const upper = bound(pre, "math_difficulty_upper_bound");
  const labels = new Map<unknown, unknown>();
  for (const label of await difficultyLabels(loadRows)) labels.set(label["problem"], label["gpt_difficulty_parsed"]);
  return kept.filter((row) => {
    const difficulty = numericValue(labels.get(row["problem"]));
    return difficulty !== undefined && difficulty >= lower && difficulty <= upper;
  });
}

// --data-file replaces the problems only: the labels are a second dataset, which the loader's own
// advice ("pass --data-file") cannot supply.
async function difficultyLabels(loadRows: SelectOptions["loadRows"]): Promise<Row[]> {
  try {
    return await loadRows({ ...NUMINA_DIFFICULTY_DATASET, columns: [...NUMINA_DIFFICULTY_DATASET.columns] });
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    throw new DataError(
      `numina: preprocess_config.filter_difficulty needs the difficulty labels of dataset ${NUMINA_DIFFICULTY_DATASET.path}, ` +
        `a second dataset that --data-file does not replace, and they could not be loaded (${e.message}). Run once with ` +
        `network access to cache them, or use the task numina (no difficulty window)`,
    );
  }
}

function bound(pre: Record<string, unknown>, key: string): number {
  const value = pre[key];
  if (typeof value !== "number") {
    throw new TaskError(`numina: preprocess_config.filter_difficulty needs a numeric preprocess_config.${key}; add it to the task file`);
  }
  return value;
}

export const numinaHandler: Handler = {
  selectRows,
  makePrompt: (row, { task }) => renderTemplate(task, { prompt: field(row, "problem", "numina") }),
  score(response, row, task) {
    const startedAt = performance.now();
    const gold = finalAnswer(pyStr(field(row, task.answer_key, "numina")));
    const score = gradedVerdict(() => mathEqual(finalAnswer(response), gold));
    // mathEqual bounds its own work; a check that still overran upstream's alarm counts as upstream's timeout.
    if (performance.now() - startedAt > CHECK_LIMIT_MS && score.graderError === undefined) return { correctness: false, reason: TIMEOUT_REASON };
    return score;
  },
  answerKey: mathAnswerKey,
  // Upstream's NUMINA records carry an empty "messages" (its rows' own messages column is blanked).
  recordExtras: () => ({ messages: "" }),
};
