import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRows, type DatasetSpec, type Row } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";
import { createPythonRandom } from "../../src/py/index.js";
import { loadTask, type LoadedTask } from "../../src/tasks/index.js";

const BOXED = "Return your final response within \\boxed{}.";

function rows(...items: Record<string, unknown>[]): Row[] {
  return items.map((item, i) => ({ ...item, _index: String(i) }));
}

async function prompt(task: LoadedTask, row: Row, seed = 41): Promise<string> {
  return task.handler.makePrompt(row, { task: task.config, random: createPythonRandom(seed) });
}

async function select(task: LoadedTask, input: Row[], start = 0, end = -1, loadRows = async (_: DatasetSpec): Promise<Row[]> => []) {
  return task.handler.selectRows(input, { task: task.config, start, end, loadRows });
}

async function score(task: LoadedTask, response: string, row: Row) {
  return task.handler.score(response, row, task.config);
}

describe("math family", () => {
  it("math500: prompt from the row, gold normalised", async () => {
    const task = await loadTask("math500");
    const [row] = rows({ problem: "What is $\\frac12+\\frac12$?", answer: "1" });
    expect(await prompt(task, row!)).toBe(`${BOXED} What is $\\frac12+\\frac12$?`);
    expect(await score(task, "so \\boxed{1}", row!)).toEqual({ correctness: true, reason: "" });
    expect(await score(task, "so \\boxed{2}", row!)).toEqual({ correctness: false, reason: "Solution is incorrect." });
  });

  it("aime24: keeps 2024 urls, then slices; aime24_sky puts the instruction last", async () => {
    const task = await loadTask("aime24");
    const input = rows(
      { problem: "p2023", answer: "1", url: "https://x/2023_AIME_I" },
      { problem: "p2024a", answer: "033", url: "https://x/2024_AIME_I" },
      { problem: "nourl", answer: "1", url: null },
      { problem: "p2024b", answer: "2", url: "https://x/2024_AIME_II" },
    );
    const kept = await select(task, input, 1);
    expect(kept.map((r) => r._index)).toEqual(["3"]);
    expect(await prompt(task, kept[0]!)).toBe(`${BOXED} p2024b`);
    expect(await score(task, "\\boxed{33}", input[1]!)).toEqual({ correctness: true, reason: "" });
    const sky = await loadTask("aime24_sky");
    expect(await prompt(sky, input[1]!)).toBe("p2024a\nReturn your final response within \\boxed{}");
  });

  it("aime25: prompt from question_key", async () => {
    const task = await loadTask("aime25_1");
    expect(await prompt(task, rows({ question: "Find x.", answer: "70" })[0]!)).toBe("Find x.\nReturn your final response within \\boxed{}");
  });

  it("amc23: keeps 2023 urls; a float answer is compared after normalisation", async () => {
    const task = await loadTask("amc23");
    const input = rows({ problem: "a", answer: 27.0, url: "https://x/2022_AMC" }, { problem: "b", answer: 27.0, url: "https://x/2023_AMC_12A" });
    expect((await select(task, input)).map((r) => r._index)).toEqual(["1"]);
    expect(await score(task, "\\boxed{27}", input[1]!)).toMatchObject({ correctness: true });
  });

  it("olympiadbench: gold is the first final_answer", async () => {
    const task = await loadTask("olympiadbench_math_en");
    const [row] = rows({ question: "Q?", final_answer: ["$\\frac{1}{2}$"] });
    expect(await prompt(task, row!)).toBe(`${BOXED} Q?`);
    expect(await score(task, "\\boxed{0.5}", row!)).toMatchObject({ correctness: true });
    expect(await score(task, "\\boxed{0.25}", row!)).toMatchObject({ correctness: false });
  });

  it("minervamath: gold is the boxed answer of the solution", async () => {
    const task = await loadTask("minervamath");
    const [row] = rows({ problem: "P", solution: "Work... so the speed is \\boxed{3.0e8} m/s." });
    expect(await score(task, "The answer is \\boxed{3.0e8}", row!)).toMatchObject({ correctness: true });
  });

  it("omni_math and liveaops: prompt from the row", async () => {
    expect(await prompt(await loadTask("omni_math"), rows({ problem: "P", answer: "2" })[0]!)).toBe(`${BOXED} P`);
    expect(await prompt(await loadTask("liveaops"), rows({ question: "Q", answer: "2" })[0]!)).toBe(`${BOXED} Q`);
  });
});

describe("numina", () => {
  it("filters source, slices, keeps boxed solutions, then the difficulty window", async () => {
    const task = await loadTask("numina_math");
    const input = rows(
      { source: "math", problem: "m0", solution: "\\boxed{1}" },
      { source: "olympiads", problem: "o1", solution: "\\boxed{1}" },
      { source: "math", problem: "m2", solution: "no box" },
      { source: "math", problem: "m3", solution: "\\boxed{2}" },
      { source: "math", problem: "m4", solution: "\\boxed{3}" },
      { source: "math", problem: "m5", solution: "\\boxed{4}" },
    );
    const specs: DatasetSpec[] = [];
    const labels = async (spec: DatasetSpec) => {
      specs.push(spec);
      return rows({ problem: "m0", gpt_difficulty_parsed: 5 }, { problem: "m3", gpt_difficulty_parsed: 3 }, { problem: "m4", gpt_difficulty_parsed: 9 });
    };
    // Slice [0, 4) applies to the five math rows (m0, m2, m3, m4), before the boxed filter.
    const kept = await select(task, input, 0, 4, labels);
    expect(kept.map((r) => r["problem"])).toEqual(["m0", "m4"]);
    expect(specs).toEqual([{ path: "NovaSky-AI/labeled_numina_difficulty_859K", split: "train", columns: ["problem", "gpt_difficulty_parsed"] }]);
  });

  it("labels that cannot be loaded (offline, not cached): the error says --data-file does not replace them, and which task needs none", async () => {
    const task = await loadTask("numina_math");
    const cacheDir = mkdtempSync(join(tmpdir(), "skythought-numina-"));
    try {
      const err = await select(task, rows({ source: "math", problem: "m0", solution: "\\boxed{1}" }), 0, -1, (spec) => loadRows(spec, { offline: true, cacheDir })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toMatch(
        /^numina: preprocess_config\.filter_difficulty needs the difficulty labels of dataset NovaSky-AI\/labeled_numina_difficulty_859K, a second dataset that --data-file does not replace, and they could not be loaded \(.*HF_HUB_OFFLINE is set.*\)\. Run once with network access to cache them, or use the task numina/,
      );
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it("without filter_difficulty, never loads labels", async () => {
    const task = await loadTask("numina");
    const kept = await select(task, rows({ problem: "a", solution: "\\boxed{1}" }), 0, -1, async () => {
      throw new Error("labels must not be loaded");
    });
    expect(kept).toHaveLength(1);
  });

  it("prompts with the problem and compares extracted answers", async () => {
    const task = await loadTask("numina");
    const [row] = rows({ problem: "Find y.", solution: "Thus $y=\\boxed{\\dfrac{3}{4}}$." });
    expect(await prompt(task, row!)).toBe(`${BOXED} Find y.`);
    expect(await score(task, "\\boxed{0.75}", row!)).toEqual({ correctness: true, reason: "" });
    expect(await score(task, "\\boxed{4/3}", row!)).toEqual({ correctness: false, reason: "Solution is incorrect." });
  });
});

describe("gsm8k", () => {
  it("uses upstream's prompt and compares numbers", async () => {
    const task = await loadTask("gsm8k");
    const [row] = rows({ question: "How many?", answer: "2+1.5=<<2+1.5=3.5>>3.5\n#### 3.5" });
    expect(await prompt(task, row!)).toBe(
      'Given the following problem, reason and give a final answer to the problem.\nProblem: How many?\nYour response should end with "The final answer is [answer]" where [answer] is the response to the problem.',
    );
    expect(await score(task, "The final answer is 3.50", row!)).toMatchObject({ correctness: true });
    expect(await score(task, "The final answer is 4", row!)).toMatchObject({ correctness: false });
  });
});

describe("gpqa_diamond", () => {
  const question = (q: string) => ({ Question: q, "Correct Answer": "right", "Incorrect Answer 1": "w1", "Incorrect Answer 2": "w2", "Incorrect Answer 3": "w3" });

  it("shuffles with the run's generator in row order and stores Answer and prompt", async () => {
    const task = await loadTask("gpqa_diamond");
    const random = createPythonRandom(41);
    const input = rows(...[0, 1, 2, 3, 4, 5].map((i) => question(`Q${i}`)));
    const prompts = input.map((row) => task.handler.makePrompt(row, { task: task.config, random }));
    expect(input.map((r) => r["Answer"])).toEqual(["B", "A", "B", "B", "C", "C"]);
    expect(Object.keys(input[0]!).slice(-3)).toEqual(["_index", "Answer", "prompt"]);
    expect(input[1]!["prompt"]).toMatch(/^Q1\nA\) right, B\) w\d, C\) w\d, D\) w\d$/);
    expect(prompts[1]).toBe(
      `Return your final response within \\boxed{} and only include the letter choice (A, B, C, or D) as your final response. ${input[1]!["prompt"]}`,
    );
    expect(await score(task, "\\boxed{A}", input[1]!)).toMatchObject({ correctness: true });
    expect(await score(task, "\\boxed{B}", input[1]!)).toMatchObject({ correctness: false });
  });
});

describe("mmlu and mmlu_pro", () => {
  it("mmlu: labelled, stripped choices; gold from the answer index", async () => {
    const task = await loadTask("mmlu");
    const [row] = rows({ question: "Pick", subject: "x", choices: [" one ", "two", "three", "four"], answer: 2 });
    expect(await prompt(task, row!)).toBe(`${BOXED} Pick\nAnswer Choices: (A) one (B) two (C) three (D) four`);
    expect(await score(task, "\\boxed{C}", row!)).toMatchObject({ correctness: true });
    expect(await score(task, "\\boxed{D}", row!)).toMatchObject({ correctness: false });
  });

  it("mmlu_pro: up to ten options, stored back labelled; gold from answer_index", async () => {
    const task = await loadTask("mmlu_pro");
    const options = ["o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9"];
    const [row] = rows({ question_id: 1, question: "Q", options, answer: "J", answer_index: 9 });
    expect(await prompt(task, row!)).toBe(`${BOXED} Q\nAnswer Choices: ${options.map((o, i) => `(${"ABCDEFGHIJ"[i]}) ${o}`).join(" ")}`);
    expect(row!["options"]).toEqual(options.map((o, i) => `(${"ABCDEFGHIJ"[i]}) ${o}`));
    expect(await score(task, "the answer is (J)", row!)).toMatchObject({ correctness: true });
    expect(await score(task, "the answer is (A)", row!)).toMatchObject({ correctness: false });
  });
});

describe("arc_c", () => {
  it("writes choices_text (first four, labels ignored) and scores the best-answer letter", async () => {
    const task = await loadTask("arc_c");
    const [row] = rows({ id: "x", question: "Why?", choices: { text: ["a", "b", "c", "d", "e"], label: ["1", "2", "3", "4", "5"] }, answerKey: "2" });
    const text = await prompt(task, row!);
    expect(row!["choices_text"]).toBe("A.a\nB.b\nC.c\nD.d");
    expect(text.endsWith("(A, B, C, or D).\nWhy?\nA.a\nB.b\nC.c\nD.d")).toBe(true);
    expect(await score(task, "The best answer is B.", row!)).toMatchObject({ correctness: true });
    expect(await score(task, "The best answer is C.", row!)).toMatchObject({ correctness: false });
  });

  it("scores a row keyed E (upstream aborts) as wrong", async () => {
    const task = await loadTask("arc_c");
    const [row] = rows({ question: "Q", choices: { text: ["a", "b", "c", "d", "e"], label: ["A", "B", "C", "D", "E"] }, answerKey: "E" });
    expect(await score(task, "The best answer is E", row!)).toMatchObject({ correctness: false });
  });
});

it("names the row and column when a row lacks the task's key", async () => {
  const task = await loadTask("aime24");
  await expect(prompt(task, rows({ question: "x" })[0]!)).rejects.toThrow(/aime: row 0 has no column "problem" \(columns: question, _index\)/);
});

describe("row selection", () => {
  it("slices like pandas iloc: negative start from the end, end <= 0 means to the end", async () => {
    const task = await loadTask("math500");
    const input = rows({ problem: "a" }, { problem: "b" }, { problem: "c" }, { problem: "d" });
    expect((await select(task, input, -2)).map((r) => r._index)).toEqual(["2", "3"]);
    expect((await select(task, input, 1, 3)).map((r) => r._index)).toEqual(["1", "2"]);
    expect((await select(task, input, 3, 1)).map((r) => r._index)).toEqual([]);
  });

  it("reports a preprocess_config url pattern that is not a regular expression", async () => {
    const task = await loadTask("aime24");
    const bad = { ...task, config: { ...task.config, preprocess_config: { url: "20(24" } } };
    await expect(select(bad, rows({ problem: "p", url: "2024" }))).rejects.toThrow(/aime preprocess_config\.url: "20\(24" is not a valid regular expression/);
  });
});

describe("handler hooks", () => {
  it("answerKey: maths votes the normalised boxed answer, choice tasks the letter, GSM8K the number, code none", async () => {
    const key = async (name: string, response: string) => (await loadTask(name)).handler.answerKey?.(response);
    expect(await key("math500", "so \\boxed{\\frac{1}{2}}")).toBe("\\frac{1}{2}");
    expect(await key("aime24", "no answer here")).toBeNull();
    expect(await key("numina_math", "thus \\boxed{7}")).toBe("7");
    expect(await key("gpqa_diamond", "The answer is (C).")).toBe("C");
    expect(await key("mmlu", "I cannot tell")).toBeNull();
    expect(await key("mmlu_pro", "the answer is (H)")).toBe("H");
    expect(await key("arc_c", "The best answer is B.")).toBe("B");
    expect(await key("arc_c", "no idea")).toBeNull();
    expect(await key("gsm8k", "so \\boxed{3.50}")).toBe("3.50");
    expect(await key("gsm8k", "no number")).toBeNull();
    for (const code of ["apps", "taco", "livecodebench"]) expect((await loadTask(code)).handler.answerKey).toBeUndefined();
  });

  it("recordExtras: only NUMINA adds a field (upstream's empty messages)", async () => {
    const [row] = rows({ problem: "p", solution: "\\boxed{1}", messages: [{ role: "user", content: "p" }] });
    expect((await loadTask("numina_math")).handler.recordExtras?.(row!)).toEqual({ messages: "" });
    expect((await loadTask("math500")).handler.recordExtras).toBeUndefined();
  });
});
