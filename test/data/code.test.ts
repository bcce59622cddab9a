import { existsSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import { loadRows, type Row } from "../../src/data/index.js";
import { closeSharedPool } from "../../src/scoring/code/index.js";
import { loadTask } from "../../src/tasks/index.js";
import { hasNumpy } from "../code/pythonEnv.js";

// Ten real APPS test problems (see ../shared/data/PROVENANCE.md); they carry no reference solutions,
// so the solutions below were written for this test.
const APPS_FILE = new URL("../../../shared/data/apps/apps_10.jsonl", import.meta.url).pathname;
const noRandom = { shuffle() {} };
const block = (code: string) => `\`\`\`python\n${code}\n\`\`\``;

const SOLUTIONS: Record<number, { right: string; wrong: string }> = {
  // Candies: the best split gives everyone half of the total.
  4655: {
    right: "q = int(input())\nfor _ in range(q):\n    print(sum(map(int, input().split())) // 2)",
    wrong: "q = int(input())\nfor _ in range(q):\n    a = sorted(map(int, input().split()))\n    print(a[1])",
  },
  // Power strips: each adds A - 1 sockets.
  4245: {
    right: "a, b = map(int, input().split())\nprint((b - 1 + a - 2) // (a - 1))",
    wrong: "a, b = map(int, input().split())\nprint(b // a)",
  },
  // Product capped at 10**18; a zero anywhere wins over an overflow.
  4559: {
    right:
      "n = int(input())\na = list(map(int, input().split()))\nif 0 in a:\n    print(0)\nelse:\n    p = 1\n    for x in a:\n        p *= x\n        if p > 10**18:\n            print(-1)\n            break\n    else:\n        print(p)",
    wrong:
      "n = int(input())\na = list(map(int, input().split()))\np = 1\nfor x in a:\n    p *= x\n    if p > 10**18:\n        print(-1)\n        break\nelse:\n    print(p)",
  },
};

describe.skipIf(!existsSync(APPS_FILE) || !hasNumpy)("APPS sample (apps_10.jsonl)", () => {
  afterAll(() => closeSharedPool());
  let rows: Row[] = [];

  test("every row loads, selects and renders a stdin prompt", async () => {
    const { config: task, handler } = await loadTask("apps");
    rows = await handler.selectRows(await loadRows({ path: task.dataset_path }, { dataFile: APPS_FILE }), {
      task,
      start: 0,
      end: -1,
      loadRows: async () => [],
    });
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const prompt = handler.makePrompt(row, { task, random: noRandom });
      expect(prompt.startsWith("Generate an executable Python function generated from the given prompt. The function should take stdin")).toBe(true);
      expect(prompt.endsWith(`${String(row["question"])}\n`)).toBe(true);
    }
  });

  test.each(Object.keys(SOLUTIONS).map(Number))("problem %i: the right solution passes every test, the wrong one fails", async (id) => {
    const { config: task, handler } = await loadTask("apps");
    const row = rows.find((r) => r["problem_id"] === id)!;
    expect(row).toBeDefined();
    const right = await handler.score(block(SOLUTIONS[id]!.right), row, task);
    expect(right).toMatchObject({ correctness: true, reason: "" });
    expect(right.tests?.results.every((t) => t.passed)).toBe(true);
    const wrong = await handler.score(block(SOLUTIONS[id]!.wrong), row, task);
    expect(wrong).toMatchObject({ correctness: false, reason: "Code is incorrect." });
    expect(wrong.tests?.results.some((t) => !t.passed)).toBe(true);
  });

  test("a response that only echoes the sample output is incorrect on every problem", async () => {
    const { config: task, handler } = await loadTask("apps");
    for (const row of rows) {
      const io = JSON.parse(String(row["input_output"])) as { outputs: string[] };
      const cheat = `print(${JSON.stringify(io.outputs[0])}, end="")`;
      const score = await handler.score(block(cheat), row, task);
      if (io.outputs.every((o) => o === io.outputs[0])) continue;
      expect(score.correctness, `problem ${String(row["problem_id"])}`).toBe(false);
    }
  });
});
