import type { Row } from "../../data/index.js";
import { TaskError } from "../../errors.js";
import type { TaskConfig } from "../types.js";

/** pandas `df.iloc[start:end] if end > 0 else df.iloc[start:]` (a negative start counts from the end). */
export function sliceRows(rows: Row[], start: number, end: number): Row[] {
  return end > 0 ? rows.slice(start, end) : rows.slice(start);
}

/**
 * pandas `df[df[column].str.contains(pattern, na=False)]`: the pattern is a regular expression
 * searched anywhere in the value; missing and non-string values do not match.
 */
export function filterContains(rows: Row[], column: string, pattern: string, what: string): Row[] {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    throw new TaskError(`${what}: "${pattern}" is not a valid regular expression (${(e as Error).message}); fix preprocess_config`);
  }
  return rows.filter((row) => {
    const value = row[column];
    return typeof value === "string" && re.test(value);
  });
}

/** The code families' `preprocess_config.difficulty`: rows of that difficulty only, when it is set. */
export function filterDifficulty(rows: Row[], task: TaskConfig): Row[] {
  if (!("difficulty" in task.preprocess_config)) return rows;
  const wanted = task.preprocess_config["difficulty"];
  return rows.filter((row) => row["difficulty"] === wanted);
}

/** The selectRows of handlers that only slice (upstream's default load_and_filter_dataset). */
export function selectSlice(rows: Row[], opts: { start: number; end: number }): Row[] {
  return sliceRows(rows, opts.start, opts.end);
}
