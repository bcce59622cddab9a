import { TaskError } from "../../errors.js";
import { extractAnswer } from "../../scoring/index.js";
import type { Handler, Row, TaskConfig } from "../types.js";
import { field, pythonStr, renderTemplate, verdict } from "./handlerKit.js";
import { sliceRows } from "./rowSelection.js";

const CANONICAL = ["A", "B", "C", "D"];
const INVALID = "[invalid]";
const BEST_ANSWER = /[Tt]he best answer is ([A-D])[.,]*/gi;
const LETTER = /([A-D])[.,]*/;

/**
 * Upstream's ARC answer reading: a letter inside the extracted (\boxed / "the answer is") answer,
 * else the last "The best answer is X" (case-insensitive, so it may return a lower-case letter that
 * then fails) after removing commas, dollars and asterisks.
 */
export function arcAnswer(completion: string): string {
  const answer = extractAnswer(completion);
  if (answer) {
    const match = LETTER.exec(answer);
    if (match) return match[1]!.trim();
  }
  // Upstream's third pattern (r"\.$" r"\\") is a concatenated no-op, so a trailing period stays.
  const cleaned = completion.replace(/,/g, "").replace(/\$/g, "").replace(/\*/g, "");
  const matches = [...cleaned.matchAll(BEST_ANSWER)];
  return matches.length > 0 ? matches[matches.length - 1]![1]!.trim() : INVALID;
}

/**
 * A key outside A-D is read as a 1-based number ("1".."4"). Upstream raises on anything else (a key
 * "E" aborts its whole scoring run); the prompt only ever shows A-D, so we score such a row wrong.
 */
function goldLetter(row: Row, task: TaskConfig): string | null {
  const key = pythonStr(field(row, task.answer_key, "arc_c"));
  if (CANONICAL.includes(key)) return key;
  const n = /^\s*[+-]?\d+\s*$/.test(key) ? Number.parseInt(key, 10) : Number.NaN;
  return CANONICAL[n - 1] ?? null;
}

export const arcHandler: Handler = {
  selectRows: (rows, { start, end }) => sliceRows(rows, start, end),
  makePrompt(row, { task }) {
    const choices = field(row, "choices", "arc_c") as { text?: unknown } | null;
    if (choices === null || typeof choices !== "object" || !Array.isArray(choices.text)) {
      throw new TaskError(`arc_c: row ${row._index} has no choices.text list; the data must have ai2_arc's columns`);
    }
    row["choices_text"] = choices.text
      .slice(0, CANONICAL.length)
      .map((text, i) => `${CANONICAL[i]}.${pythonStr(text)}`)
      .join("\n");
    return renderTemplate(task, row);
  },
  score(response, row, task) {
    const gold = goldLetter(row, task);
    return verdict(gold !== null && arcAnswer(response) === gold);
  },
};
