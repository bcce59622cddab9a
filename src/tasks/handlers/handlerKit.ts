import { TaskError } from "../../errors.js";
import { formatPython } from "../../py/index.js";
import { GraderError } from "../../scoring/index.js";
import type { Score, TaskConfig } from "../types.js";

/** Upstream's reason for every wrong math or multiple-choice answer. */
export const INCORRECT = "Solution is incorrect.";

export function verdict(correct: boolean): Score {
  return correct ? { correctness: true, reason: "" } : { correctness: false, reason: INCORRECT };
}

/** The verdict of `decide`, or, when the grader fails (GraderError), a score that carries the failure. */
export function gradedVerdict(decide: () => boolean): Score {
  try {
    return verdict(decide());
  } catch (e) {
    if (!(e instanceof GraderError)) throw e;
    return { correctness: false, reason: e.message, graderError: e.message };
  }
}

/** Formats `templating_parameters[key]` with Python `str.format` semantics, as upstream does. */
export function renderTemplate(task: TaskConfig, values: Record<string, unknown>, key = "template"): string {
  const template = task.templating_parameters[key];
  if (template === undefined) {
    throw new TaskError(
      `handler "${task.handler}" needs templating_parameters.${key} in its task file (dataset ${task.dataset_path}); add the prompt template there`,
    );
  }
  return formatPython(template, values);
}

/** The value of `row[key]` for a key the task file names; a row without it is a data/task mismatch. */
export function field(row: Record<string, unknown>, key: string | null, what: string): unknown {
  if (key === null || !(key in row)) {
    throw new TaskError(
      `${what}: row ${String(row["_index"])} has no column "${key}" (columns: ${Object.keys(row).join(", ")}); check question_key/answer_key in the task file or the data file`,
    );
  }
  return row[key];
}
