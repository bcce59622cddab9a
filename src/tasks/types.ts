import { z } from "zod";
import type { TestOutcome } from "../scoring/index.js";
import type { LoadRows, Row } from "../data/index.js";

/**
 * A task YAML, field for field as upstream's TaskConfig. The key order is the one upstream dumps
 * into the run hash: keep it.
 */
export const TaskConfigSchema = z
  .object({
    handler: z.string(),
    dataset_path: z.string(),
    dataset_subset: z.string().nullable().default(null),
    dataset_split: z.string().nullable().default(null),
    dataset_kwargs: z.record(z.string(), z.unknown()).default({}),
    question_key: z.string(),
    answer_key: z.string().nullable().default(null),
    templating_parameters: z.record(z.string(), z.string()).default({}),
    preprocess_config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type TaskConfig = z.infer<typeof TaskConfigSchema>;

export interface Score {
  correctness: boolean;
  /** "" when correct; otherwise upstream's reason string. */
  reason: string;
  /**
   * Set when the grader itself failed on this sample (a grader bug, not the answer's fault): the
   * sample then counts as not correct, and the run reports it among its grader errors.
   */
  graderError?: string;
  /**
   * Code tasks: the tests that ran, in test order, of `total` (grading stops at the first failure,
   * as upstream). Kept in grades.jsonl for the report, not in results.json (upstream's bytes).
   */
  tests?: { results: TestOutcome[]; total: number };
}

export interface SelectOptions {
  task: TaskConfig;
  /** First row after the handler's filters. */
  start: number;
  /** Stop row (exclusive); any value <= 0 means "to the end". */
  end: number;
  /** Loads other datasets a handler needs (NUMINA's difficulty labels). */
  loadRows: LoadRows;
}

export interface PromptContext {
  task: TaskConfig;
  /** The run's seeded generator (Python's `random` with --seed), consumed row by row in order. */
  random: { shuffle<T>(items: T[]): void };
}

/**
 * What a task family computes beyond its YAML. Plain functions: no state, no I/O but `selectRows`.
 * `makePrompt` may write fields into the row (GPQA's `Answer`), as upstream does, so that
 * `results.json` keeps what `score` needs later. The optional hooks let generic code ask a family
 * instead of testing its name.
 */
export interface Handler {
  /** Filters and slices the loaded rows (upstream's load_and_filter_dataset). */
  selectRows(rows: Row[], opts: SelectOptions): Promise<Row[]> | Row[];
  makePrompt(row: Row, ctx: PromptContext): string;
  score(response: string, row: Row, task: TaskConfig): Promise<Score> | Score;
  /** Fields results.json's record sets after the row's columns (a column of that name keeps its place). */
  recordExtras?(row: Row): Record<string, unknown>;
  /**
   * The answer a response gives, as maj@k counts votes (equal keys vote together), or null when it
   * gives none. A family without one (code) reports no maj@k.
   */
  answerKey?(response: string): string | null;
  /**
   * Its `score` runs the model's code (in the code sandbox): a run checks before generating that a
   * sandbox exists or that running without one was allowed, and records which one ran.
   */
  runsCode?: boolean;
}
