import type { Row } from "../data/index.js";
import { DataError } from "../errors.js";
import type { LoadedTask } from "../tasks/index.js";

/**
 * Why a run has no problems, as an error naming the file, the slice or the filter: zero problems
 * would otherwise "succeed" with accuracy 0.0.
 *
 * @param rows every row of the source
 * @param kept how many rows the task's filters keep without --start/--end
 */
export function noProblemsError(
  task: LoadedTask,
  source: string,
  rows: readonly Row[],
  kept: number,
  slice: { start: number; end: number },
): DataError {
  if (rows.length === 0) return new DataError(`${source} has no rows; check it, or pass another --data-file`);
  if (kept === 0) {
    const filters = Object.entries({ dataset_kwargs: task.config.dataset_kwargs, preprocess_config: task.config.preprocess_config })
      .filter(([, v]) => Object.keys(v).length > 0)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`);
    return new DataError(
      `task "${task.name}" (handler ${task.config.handler}) keeps none of the ${rows.length} rows of ${source}` +
        `${filters.length > 0 ? ` (its filters: ${filters.join(", ")})` : ""}; check that the rows have the task's columns ` +
        `(question_key "${task.config.question_key}") and values its filters keep (${task.file})`,
    );
  }
  const { start, end } = slice;
  if (end > 0 && end <= start) {
    return new DataError(`--start ${start} --end ${end} selects no rows: --end must be above --start (or <= 0 for "to the end")`);
  }
  return new DataError(
    `--start ${start} is past the end: task "${task.name}" keeps ${kept} rows of ${source} (0 to ${kept - 1}); pass a --start below ${kept}`,
  );
}
