import { describe, expect, test } from "vitest";
import type { Row } from "../../src/data/index.js";
import { createPythonRandom } from "../../src/py/index.js";
import { handlers, listTasks, loadTask, type TaskConfig } from "../../src/tasks/index.js";

// STYLE rule 10: every task YAML loads, resolves its handler, keeps a row of its family through its
// own filters, and renders a prompt that carries the question. A new handler needs a fixture here.
const QUESTION = "How many primes are below 7?";
const tests = JSON.stringify([{ input: "1\n", output: "1\n", testtype: "stdin" }]);
const io = JSON.stringify({ inputs: ["1\n"], outputs: ["1\n"] });

/** A row with the columns its family reads (the question under question_key is added by the test). */
const FIXTURES: Record<string, (config: TaskConfig) => Record<string, unknown>> = {
  math: () => ({ answer: "3" }),
  aime: (c) => ({ answer: "3", url: `https://x/${String(c.preprocess_config["url"] ?? "")}_AIME_I` }),
  amc23: () => ({ answer: 3.0, url: "https://x/2023_AMC_12A" }),
  minervamath: () => ({ solution: "so \\boxed{3}" }),
  olympiadbench_math: () => ({ final_answer: ["3"] }),
  omni_math: () => ({ answer: "3" }),
  liveaops: () => ({ answer: "3" }),
  numina: (c) => ({ solution: "so \\boxed{3}", source: c.preprocess_config["source"] ?? "math", messages: [] }),
  gsm8k: () => ({ answer: "2, 3 and 5 #### 3" }),
  gpqa_diamond: () => ({ "Correct Answer": "3", "Incorrect Answer 1": "2", "Incorrect Answer 2": "4", "Incorrect Answer 3": "5" }),
  mmlu: () => ({ choices: ["2", "3", "4", "5"], answer: 1 }),
  mmlu_pro: () => ({ options: ["2", "3", "4"], answer: "B", answer_index: 1 }),
  arc_c: () => ({ choices: { text: ["2", "3", "4", "5"], label: ["A", "B", "C", "D"] }, answerKey: "B" }),
  apps: () => ({ input_output: io, starter_code: "", difficulty: "introductory" }),
  taco: () => ({ input_output: io, starter_code: "" }),
  livecodebench: (c) => ({
    question_content: QUESTION, question_id: "q1", starter_code: "", difficulty: c.preprocess_config["difficulty"] ?? "easy",
    public_test_cases: tests, private_test_cases: tests, metadata: "{}",
  }),
};

describe("every task YAML", async () => {
  const tasks = await listTasks();

  test("there is a fixture row for every handler", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(Object.keys(handlers).sort());
  });

  test.each(tasks.map((t) => [t.name] as const))("%s loads, keeps a fixture row and renders a prompt with its question", async (name) => {
    const task = await loadTask(name);
    expect(task.handler).toBe(handlers[task.config.handler]);
    const fixture = FIXTURES[task.config.handler];
    expect(fixture, `add a fixture row for handler ${task.config.handler} to this test`).toBeDefined();
    const row: Row = { ...fixture!(task.config), [task.config.question_key]: QUESTION, _index: "0" };
    // NUMINA's difficulty window reads labels from another dataset: one that labels this problem inside it.
    const lower = task.config.preprocess_config["math_difficulty_lower_bound"];
    const labels = async () => [{ problem: QUESTION, gpt_difficulty_parsed: typeof lower === "number" ? lower : 1, _index: "0" }];
    const kept = await task.handler.selectRows([row], { task: task.config, start: 0, end: -1, loadRows: labels });
    expect(kept).toHaveLength(1);
    const prompt = task.handler.makePrompt(kept[0]!, { task: task.config, random: createPythonRandom(41) });
    expect(prompt).toContain(QUESTION);
  });
});
