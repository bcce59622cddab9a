import { sampleKey, type GradeLine, type ResultRecord } from "../runs/index.js";
import { handlers } from "../tasks/index.js";
import { gradeLine, sampleLine, type RunFolder } from "./runFolder.js";

/** What the report shows of one response. */
export interface SampleFacts {
  /** The stored verdict; null when the response was never scored (a `generate` run). */
  correct: boolean | null;
  /** The answer the response gives, as its task's maj@k reads it; null when none was found or the family has none (code). */
  answer: string | null;
  /** Completion tokens. */
  tokens: number;
  /** vLLM/OpenAI finish reason from samples.jsonl; null in upstream folders, which do not keep it. */
  finish: string | null;
  /** The scorer's reason (upstream's `reason` field: "" when correct). */
  reason: string | null;
  /** The generation error of a sample that failed (finish reason "error"). */
  error: string | null;
  /** The grader's own failure on this response (run.json metrics.grader_errors): counted as not correct. */
  graderError: string | null;
  /** ISO time the sample finished; null in upstream folders. */
  time: string | null;
  /** The verdict in words: what was extracted, against which gold, and the scorer's reason. */
  why: string;
}

export interface ProblemFacts {
  /** The row's `_index`. */
  id: string;
  /** The question's first line (the task's `question_key` column), at most 200 characters. */
  question: string;
  /** The reference answer (the task's `answer_key` column) as text; null when the task has none (code). */
  gold: string | null;
  /** Dataset columns that group problems (MATH `level`, MMLU `subject`...), as text. */
  groups: Record<string, string>;
  samples: SampleFacts[];
}

/**
 * Columns known to group a benchmark's problems: MATH `level`/`type` (and MATH-500 `subject`),
 * MMLU `subject`, LiveCodeBench and APPS `difficulty`, OlympiadBench `subfield`.
 */
export const GROUP_COLUMNS = ["level", "type", "subject", "difficulty", "subfield"] as const;
/** A column with more distinct values than this is an id, not a group. */
const MAX_GROUPS = 40;

/** The problems of a run with each response's facts, in results.json order. */
export function problemFacts(folder: RunFolder, task: { handler?: unknown; question_key?: unknown; answer_key?: unknown }): ProblemFacts[] {
  const groupColumns = GROUP_COLUMNS.filter((c) => isGrouping(folder.records, c));
  const answerKey = answerKeyOf(task.handler);
  const graderErrors = graderErrorsOf(folder);
  return folder.records.map((record) => {
    const gold = typeof task.answer_key === "string" && task.answer_key in record ? text(record[task.answer_key]) : null;
    return {
      id: record._index,
      question: firstLine(text(record[String(task.question_key)])),
      gold,
      groups: Object.fromEntries(groupColumns.filter((c) => record[c] !== undefined && record[c] !== null).map((c) => [c, text(record[c])])),
      samples: record.responses.map((_, i) => sampleFacts(folder, record, i, { gold, answerKey, graderErrors })),
    };
  });
}

type AnswerKey = (response: string) => string | null;

interface ProblemContext {
  gold: string | null;
  answerKey: AnswerKey | undefined;
  graderErrors: Map<string, string>;
}

function sampleFacts(folder: RunFolder, record: ResultRecord, i: number, { gold, answerKey, graderErrors }: ProblemContext): SampleFacts {
  const response = record.responses[i]!;
  const line = sampleLine(folder, record._index, i);
  const facts: Omit<SampleFacts, "why"> = {
    correct: typeof response.correctness === "boolean" ? response.correctness : null,
    answer: answerKey ? answerKey(response.content) : null,
    tokens: record.token_usages[i]?.completion_tokens ?? line?.completion_tokens ?? 0,
    finish: line?.finish_reason ?? null,
    reason: typeof response.reason === "string" ? response.reason : null,
    error: line?.error ?? null,
    graderError: graderErrors.get(sampleKey(record._index, i)) ?? null,
    time: line?.time ?? null,
  };
  return { ...facts, why: verdictWhy(facts, gold, gradeLine(folder, record._index, i)?.tests) };
}

/**
 * E.g. "extracted `24`, gold `25`: Solution is incorrect."; for code, which test failed and how
 * ("test 3 of 12: timeout (time limit exceeded)") when grades.jsonl has the tests.
 */
export function verdictWhy(s: Omit<SampleFacts, "why">, gold: string | null, tests?: GradeLine["tests"]): string {
  if (s.error !== null) return `generation failed: ${s.error}`;
  if (s.graderError !== null) return `grader error (counted as not correct): ${s.graderError}`;
  if (s.correct === null) return "not scored (a generate run; `skythought score` grades it)";
  const reason = s.reason ? `: ${s.reason}` : "";
  if (tests) {
    const failed = tests.results.findIndex((t) => !t.passed);
    if (failed < 0) return `all ${tests.total} tests passed`;
    const t = tests.results[failed]!;
    return `test ${failed + 1} of ${tests.total}: ${testStatus(t)}${t.detail ? ` (${t.detail})` : ""}`;
  }
  if (gold === null) return s.correct ? "every test passed" : `failed${reason}`;
  if (s.answer === null) return `no answer found (no \\boxed{}, no "answer is", no number); gold \`${gold}\`${reason}`;
  return `extracted \`${s.answer}\`, gold \`${gold}\`${s.correct ? ": equal" : reason}`;
}

/**
 * The task family's `answerKey`, what run.json's maj@k votes on (so the chips and the maj@k curve
 * agree with it); none for a family without one (code) or a handler this version does not know.
 */
function answerKeyOf(handler: unknown): AnswerKey | undefined {
  return typeof handler === "string" && Object.hasOwn(handlers, handler) ? handlers[handler]!.answerKey : undefined;
}

/** run.json's `metrics.grader_errors.samples` ({row, sample, error}) by `sampleKey`; empty when it has none. */
function graderErrorsOf(folder: RunFolder): Map<string, string> {
  const metrics = folder.run?.metrics as { grader_errors?: { samples?: { row: string; sample: number; error: string }[] } } | undefined;
  const samples = metrics?.grader_errors?.samples;
  return new Map((Array.isArray(samples) ? samples : []).map((s) => [sampleKey(String(s.row), Number(s.sample)), String(s.error)]));
}

function isGrouping(records: readonly ResultRecord[], column: string): boolean {
  const values = new Set<string>();
  let present = 0;
  for (const r of records) {
    const v = r[column];
    if (v === undefined || v === null || typeof v === "object") continue;
    present++;
    values.add(String(v));
    if (values.size > MAX_GROUPS) return false;
  }
  // Most rows must have it, and it must split them.
  return present >= records.length * 0.9 && values.size >= 2;
}

/** A cell of a dataset row as text: strings as they are, lists joined (OlympiadBench's answers), the rest as JSON. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(text).join(", ");
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function firstLine(s: string): string {
  const line = s.trim().split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A test's outcome in words: passed, failed (it ran; the detail says how the output differs), error, timeout, killed. */
export function testStatus(t: { passed: boolean; status: string }): string {
  if (t.passed) return "passed";
  return t.status === "ok" ? "failed" : t.status === "killed" ? "killed (memory or output limit)" : t.status;
}
