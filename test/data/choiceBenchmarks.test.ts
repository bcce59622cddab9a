import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Row } from "../../src/data/index.js";
import { DATA_DIR, HAS_DATA, mismatches, prompts, taskRows, type Case, type TaskRows } from "./benchmarkData.js";

const BOXED = "Return your final response within \\boxed{}.";

function choiceCases(t: TaskRows, gold: (row: Row) => string, letters: string, say: (letter: string) => string): Case[] {
  return t.selected.flatMap((row) => {
    const g = gold(row);
    const other = letters[(letters.indexOf(g) + 1) % letters.length]!;
    return [
      { row, label: "gold", response: say(g), expect: true },
      { row, label: "wrong", response: say(other), expect: false },
    ];
  });
}

describe.skipIf(!HAS_DATA)("multiple-choice benchmarks in ../shared/data", () => {
  it("mmlu: the 57 subject CSVs, rearranged into cais/mmlu's columns (question, subject, choices, answer)", async () => {
    // Not the HF layout: each CSV spreads the choices over choice0..3 and has no subject column.
    const files = (await readdir(path.join(DATA_DIR, "mmlu/test"))).filter((f) => f.endsWith("_test.csv")).sort();
    expect(files).toHaveLength(57);
    let total = 0;
    for (const file of files) {
      const subject = file.replace(/_test\.csv$/, "");
      const t = await taskRows("mmlu", path.join("mmlu/test", file), (rows) =>
        rows.map((r) => ({
          question: r["question"],
          subject,
          choices: [r["choice0"], r["choice1"], r["choice2"], r["choice3"]],
          answer: r["answer"],
          _index: r._index,
        })),
      );
      total += t.selected.length;
      const expected = t.selected.map((r) => {
        const choices = (r["choices"] as unknown[]).map((c, i) => `(${"ABCD"[i]}) ${String(c).trim()}`).join(" ");
        return `${BOXED} ${String(r["question"])}\nAnswer Choices: ${choices}`;
      });
      expect(prompts(t)).toEqual(expected);
      expect(await mismatches(t, choiceCases(t, (r) => "ABCD"[r["answer"] as number]!, "ABCD", (l) => `Therefore, \\boxed{${l}}`))).toEqual([]);
    }
    expect(total).toBe(14042);
  });

  it("mmlu: the STEM jsonl (type in place of subject) loads through the same handler", async () => {
    const t = await taskRows("mmlu", "mmlu/mmlu_stem/test.jsonl");
    expect(t.selected).toHaveLength(3018);
    expect(prompts(t)[0]).toMatch(/^Return your final response within \\boxed\{\}\. .*\nAnswer Choices: \(A\) .* \(B\) .* \(C\) .* \(D\) /s);
    expect(await mismatches(t, choiceCases(t, (r) => "ABCD"[r["answer"] as number]!, "ABCD", (l) => `\\boxed{${l}}`))).toEqual([]);
  });

  it("mmlu_pro: the TIGER-Lab/MMLU-Pro test parquet, options labelled in place", async () => {
    const t = await taskRows("mmlu_pro", "mmlu_pro/test-00000-of-00001.parquet");
    expect(t.selected).toHaveLength(12032);
    const raw = t.selected.map((r) => [...(r["options"] as string[])]);
    const texts = prompts(t);
    t.selected.forEach((row, i) => {
      const labelled = raw[i]!.map((o, j) => `(${"ABCDEFGHIJ"[j]}) ${o.trim()}`);
      expect(row["options"]).toEqual(labelled);
      expect(texts[i]).toBe(`${BOXED} ${String(row["question"])}\nAnswer Choices: ${labelled.join(" ")}`);
    });
    const letters = "ABCDEFGHIJ";
    const cases = choiceCases(t, (r) => letters[r["answer_index"] as number]!, letters, (l) => `Thus the answer is (${l}).`);
    expect(await mismatches(t, cases)).toEqual([]);
    // Upstream grades by answer_index; in this revision one row's `answer` letter disagrees with it.
    const inconsistent = t.selected.filter((r) => r["answer"] !== letters[r["answer_index"] as number]).map((r) => r["question_id"]);
    expect(inconsistent).toEqual([3983]);
  });

  it("mmlu_pro: the 70-row validation parquet loads through the same handler", async () => {
    const t = await taskRows("mmlu_pro", "mmlu_pro/validation-00000-of-00001.parquet");
    expect(t.selected).toHaveLength(70);
    expect(prompts(t).every((p) => p.startsWith(`${BOXED} `) && p.includes("\nAnswer Choices: (A) "))).toBe(true);
    const letters = "ABCDEFGHIJ";
    expect(await mismatches(t, choiceCases(t, (r) => letters[r["answer_index"] as number]!, letters, (l) => `The answer is (${l})`))).toEqual([]);
  });

  it("arc_c: the ARC-Challenge test split (upstream evaluates train; see PROVENANCE.md)", async () => {
    const t = await taskRows("arc_c", "arc_challenge/test.jsonl");
    expect(t.selected).toHaveLength(1172);
    const texts = prompts(t);
    t.selected.forEach((row, i) => {
      const choices = (row["choices"] as { text: string[] }).text.slice(0, 4).map((c, j) => `${"ABCD"[j]}.${c}`).join("\n");
      expect(row["choices_text"]).toBe(choices);
      expect(texts[i]).toBe(
        `Given the following question and four candidate answers (A, B, C and D), choose the best answer. Your response should end with "The best answer is [the_answer_letter]" where [the_answer_letter] is one of the four letter choice (A, B, C, or D).\n${String(row["question"])}\n${choices}`,
      );
    });
    // Rows keyed E have five choices; the prompt shows four, so no answer can be right.
    const answerable = { ...t, selected: t.selected.filter((r) => r["answerKey"] !== "E") };
    const cases = choiceCases(answerable, (r) => String(r["answerKey"]), "ABCD", (l) => `The best answer is ${l}.`);
    expect(await mismatches(t, cases)).toEqual([]);
  });
});
