import type { Row } from "../data/index.js";
import { DataError } from "../errors.js";
import type { LoadedTask } from "../tasks/index.js";

/**
 * The first problem whose row lacks the task's answer column, as an error naming the source, the
 * row and the task file; undefined when every row has it (or the task has no answer_key).
 * Checked once the prompts are made (GPQA's handler writes its `Answer` then), so that a data file
 * without answers is refused before generating, not after every sample is paid for.
 */
export function missingAnswerColumnError(task: LoadedTask, source: string, rows: readonly Row[]): DataError | undefined {
  const key = task.config.answer_key;
  if (key === null) return undefined;
  const at = rows.findIndex((row) => !(key in row));
  if (at < 0) return undefined;
  const columns = Object.keys(rows[at]!).filter((c) => !c.startsWith("_"));
  return new DataError(
    `${source}: row ${String(rows[at]!["_index"] ?? at)} has no column "${key}", the answers task "${task.name}" scores against ` +
      `(answer_key in ${task.file}); its columns: ${columns.join(", ")}. Pass a data file with that column, or rename it`,
  );
}
