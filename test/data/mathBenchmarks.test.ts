import { describe, expect, it } from "vitest";
import type { Row } from "../../src/data/index.js";
import { HAS_DATA, mismatches, prompts, taskRows, type Case, type TaskRows } from "./benchmarkData.js";
import { equivalentForms, lastBoxed, wrongAnswer } from "./rewrites.js";

const BOXED = "Return your final response within \\boxed{}.";

/**
 * For every selected row: the reference boxed is correct, each equivalent rewriting of it is
 * correct, and a different value is wrong. `gold` is the reference as written in the data.
 */
function gradingCases(rows: Row[], gold: (row: Row) => string): Case[] {
  return rows.flatMap((row) => {
    const g = gold(row).replace(/^\$(.*)\$$/s, "$1");
    return [
      { row, label: "gold", response: `The final answer is \\boxed{${g}}.`, expect: true },
      ...equivalentForms(g).map((f) => ({ row, label: f.label, response: `So we get \\boxed{${f.answer}}`, expect: true })),
      { row, label: "wrong", response: `\\boxed{${wrongAnswer(g)}}`, expect: false },
    ];
  });
}

/** Grades every case; returns how many cases each rewriting produced, so a test can require coverage. */
async function expectGrading(t: TaskRows, gold: (row: Row) => string): Promise<Record<string, number>> {
  const cases = gradingCases(t.selected, gold);
  expect(await mismatches(t, cases)).toEqual([]);
  const counts: Record<string, number> = {};
  for (const c of cases) counts[c.label] = (counts[c.label] ?? 0) + 1;
  return counts;
}

describe.skipIf(!HAS_DATA)("math benchmarks in ../shared/data", () => {
  it("aime24: the url filter keeps the 30 AIME 2024 rows of the full AI-MO/aimo-validation-aime dump", async () => {
    const t = await taskRows("aime24", "aime24/aime_22_23_24.jsonl");
    expect(t.all).toHaveLength(90);
    expect(t.selected).toHaveLength(30);
    const reference = await taskRows("aime24", "aime24/test.jsonl");
    expect(t.selected.map((r) => r["id"])).toEqual(reference.all.map((r) => r["id"]));
    expect(prompts(t)).toEqual(t.selected.map((r) => `${BOXED} ${String(r["problem"])}`));
    const sky = await taskRows("aime24_sky", "aime24/aime_22_23_24.jsonl");
    expect(prompts(sky)).toEqual(t.selected.map((r) => `${String(r["problem"])}\nReturn your final response within \\boxed{}`));
    await expectGrading(t, (r) => String(r["answer"]));
  });

  it("aime25_1 / aime25_2: the opencompass/AIME2025 files as released", async () => {
    for (const [name, file] of [["aime25_1", "aime25/aime2025-I.jsonl"], ["aime25_2", "aime25/aime2025-II.jsonl"]] as const) {
      const t = await taskRows(name, file);
      expect(t.selected).toHaveLength(15);
      expect(prompts(t)).toEqual(t.selected.map((r) => `${String(r["question"])}\nReturn your final response within \\boxed{}`));
      await expectGrading(t, (r) => String(r["answer"]));
    }
  });

  it("aime25/test.jsonl is AIME 2025 II then I, the same rows as the two split files", async () => {
    const both = await taskRows("aime25_1", "aime25/test.jsonl");
    const one = await taskRows("aime25_1", "aime25/aime2025-I.jsonl");
    const two = await taskRows("aime25_2", "aime25/aime2025-II.jsonl");
    const strip = (rows: Row[]) => rows.map(({ _index, ...rest }) => rest);
    expect(strip(both.all)).toEqual([...strip(two.all), ...strip(one.all)]);
  });

  it("amc23: all 40 rows are AMC 2023; float answers grade as integers", async () => {
    const t = await taskRows("amc23", "amc23/test.jsonl");
    expect(t.selected).toHaveLength(40);
    expect(prompts(t)).toEqual(t.selected.map((r) => `${BOXED} ${String(r["problem"])}`));
    await expectGrading(t, (r) => String(r["answer"]));
  });

  it("math500: 500 rows, prompts and self-grading", async () => {
    const t = await taskRows("math500", "math500/test.jsonl");
    expect(t.selected).toHaveLength(500);
    expect(prompts(t)).toEqual(t.selected.map((r) => `${BOXED} ${String(r["problem"])}`));
    const counts = await expectGrading(t, (r) => String(r["answer"]));
    for (const label of ["gold", "dfrac", "thousands", "unit", "fraction", "slash", "decimal", "wrong"]) expect(counts[label]).toBeGreaterThan(0);
  });

  it("minervamath: graded against the solution's boxed answer", async () => {
    const t = await taskRows("minervamath", "minerva_math/test.jsonl");
    expect(t.selected).toHaveLength(272);
    expect(prompts(t)).toEqual(t.selected.map((r) => `${BOXED} ${String(r["problem"])}`));
    await expectGrading(t, (r) => lastBoxed(String(r["solution"]))!);
  });

  it("olympiadbench_math_en: 675 rows (Qwen2.5-Math copy of OE_TO_maths_en_COMP), first final_answer", async () => {
    const t = await taskRows("olympiadbench_math_en", "olympiadbench/test.jsonl");
    expect(t.selected).toHaveLength(675);
    expect(prompts(t)).toEqual(t.selected.map((r) => `${BOXED} ${String(r["question"])}`));
    await expectGrading(t, (r) => String((r["final_answer"] as string[])[0]));
  });

  it("gsm8k: the #### number, with thousands separators and trailing zeros", async () => {
    const t = await taskRows("gsm8k", "gsm8k/test.jsonl");
    expect(t.selected).toHaveLength(1319);
    expect(prompts(t)).toEqual(
      t.selected.map(
        (r) =>
          `Given the following problem, reason and give a final answer to the problem.\nProblem: ${String(r["question"])}\nYour response should end with "The final answer is [answer]" where [answer] is the response to the problem.`,
      ),
    );
    const cases = t.selected.flatMap((row): Case[] => {
      const gold = /#### (.*)$/.exec(String(row["answer"]))![1]!.replaceAll(",", "").trim();
      const n = Number(gold);
      return [
        { row, label: "gold", response: `The final answer is ${gold}`, expect: true },
        { row, label: "thousands", response: `The final answer is ${n.toLocaleString("en-US", { maximumFractionDigits: 10 })}`, expect: true },
        { row, label: "trailing zero", response: `The final answer is ${Number.isInteger(n) ? `${gold}.00` : `${gold}0`}`, expect: true },
        { row, label: "dollars", response: `The final answer is $${gold}.`, expect: true },
        { row, label: "wrong", response: `The final answer is ${n + 1}`, expect: false },
      ];
    });
    expect(await mismatches(t, cases)).toEqual([]);
  });
});
