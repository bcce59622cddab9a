import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import type { Row } from "../../src/data/index.js";
import { closeSharedPool } from "../../src/scoring/code/index.js";
import { codeHandlers, decodePrivateTests } from "../../src/tasks/handlers/code/index.js";
import { loadTask, type TaskConfig } from "../../src/tasks/index.js";
import { NO_NUMPY, hasNumpy } from "./pythonEnv.js";

afterAll(() => closeSharedPool());

const apps = codeHandlers["apps"]!;
const taco = codeHandlers["taco"]!;
const lcb = codeHandlers["livecodebench"]!;
const noRandom = { shuffle() {} };
const block = (code: string) => `Here you go.\n\`\`\`python\n${code}\n\`\`\`\nDone.`;

async function config(name: string): Promise<TaskConfig> {
  return (await loadTask(name)).config;
}

// A small APPS-format stdin problem: print a + b.
const sumRow: Row = {
  _index: "0",
  problem_id: 1,
  difficulty: "introductory",
  question: "Print the sum of two integers.",
  starter_code: "",
  input_output: JSON.stringify({ inputs: ["1 2\n", "10 -3\n", "0 0\n"], outputs: ["3\n", "7\n", "0\n"] }),
};

// An APPS call-based problem (answers wrapped in a list, as APPS stores them).
const callRow: Row = {
  _index: "1",
  problem_id: 2,
  difficulty: "interview",
  question: "Return the largest element.",
  starter_code: "class Solution:\n    def largest(self, xs):\n",
  input_output: JSON.stringify({ fn_name: "largest", inputs: [[[1, 5, 2]], [[-1, -7]]], outputs: [[5], [-1]] }),
};

describe.skipIf(!hasNumpy)(`apps${hasNumpy ? "" : ` (${NO_NUMPY})`}`, () => {
  test("prompts as upstream: stdin template, then a newline and the starter code", async () => {
    const task = await config("apps");
    expect(apps.makePrompt(sumRow, { task, random: noRandom })).toBe(
      "Generate an executable Python function generated from the given prompt. The function should take stdin as input and print the output. Simply call the function after the definition. Print the sum of two integers.\n",
    );
    expect(apps.makePrompt(callRow, { task, random: noRandom })).toBe(
      "Generate an executable Python function generated from the given prompt. Return the function body without invoking it at the final solution. Return the largest element.\nclass Solution:\n    def largest(self, xs):\n",
    );
  });

  test("a correct stdin program passes, also behind a __main__ guard", async () => {
    const task = await config("apps");
    expect(await apps.score(block("a, b = map(int, input().split())\nprint(a + b)"), sumRow, task)).toMatchObject({ correctness: true, reason: "" });
    const guarded = "import sys\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n    print(a + b)\nif __name__ == '__main__':\n    main()";
    expect((await apps.score(block(guarded), sumRow, task)).correctness).toBe(true);
  });

  test("a wrong answer, a crash, a syntax error and a timeout are all incorrect", async () => {
    const task = await config("apps");
    // The first failing test says how (kept in grades.jsonl for the report).
    const firstFailure = async (program: string) => {
      const score = await apps.score(block(program), sumRow, task);
      expect(score).toMatchObject({ correctness: false, reason: "Code is incorrect." });
      return score.tests!.results.find((t) => !t.passed);
    };
    expect(await firstFailure("a, b = map(int, input().split())\nprint(a - b)")).toEqual({ passed: false, status: "ok", detail: "wrong output" });
    expect(await firstFailure("a, b = map(int, input().split())\nprint(a + b)\nraise SystemError('late')")).toEqual({ passed: false, status: "error", detail: "SystemError: late" });
    expect(await firstFailure("print((")).toMatchObject({ passed: false, status: "error", detail: expect.stringMatching(/^SyntaxError: /) });
    expect(await firstFailure("while True:\n    pass")).toEqual({ passed: false, status: "timeout", detail: "time limit exceeded" });
  });

  test("no fenced block: upstream's reason", async () => {
    const task = await config("apps");
    expect(await apps.score("print(1)", sumRow, task)).toEqual({ correctness: false, reason: "Does not contain code component." });
  });

  test("the last fenced block is the solution", async () => {
    const task = await config("apps");
    const response = `${block("print('draft')")}\nFinal:\n${block("a, b = map(int, input().split())\nprint(a + b)")}`;
    expect((await apps.score(response, sumRow, task)).correctness).toBe(true);
  });

  test("call-based: Solution methods, answers wrapped in a list; exceptions fail", async () => {
    const task = await config("apps");
    const good = "class Solution:\n    def largest(self, xs):\n        return max(xs)";
    expect((await apps.score(block(good), callRow, task)).correctness).toBe(true);
    const raises = "class Solution:\n    def largest(self, xs):\n        raise ValueError()";
    expect((await apps.score(block(raises), callRow, task)).correctness).toBe(false);
    const wrongName = "class Solution:\n    def biggest(self, xs):\n        return max(xs)";
    expect((await apps.score(block(wrongName), callRow, task)).correctness).toBe(false);
  });

  test("the import prelude is available, as upstream", async () => {
    const task = await config("apps");
    const usesPrelude = "a, b = map(int, input().split())\nprint(int(np.int64(a) + b) if gcd(1, 1) == 1 else 0)";
    expect((await apps.score(block(usesPrelude), sumRow, task)).correctness).toBe(true);
  });

  test("APPS's looser comparisons: token sets and float closeness", async () => {
    const task = await config("apps");
    const row = (expected: string): Row => ({
      ...sumRow,
      input_output: JSON.stringify({ inputs: [""], outputs: [expected] }),
    });
    expect((await apps.score(block("print('3 1 2')"), row("1 2 3\n"), task)).correctness).toBe(true);
    expect((await apps.score(block("print('0.333333333')"), row("0.3333333\n"), task)).correctness).toBe(true);
    expect((await apps.score(block("print('1\\n\\n2')"), row("1\n2\n"), task)).correctness).toBe(true);
    expect((await apps.score(block("print('1 2 4')"), row("1 2 3\n"), task)).correctness).toBe(false);
    expect((await apps.score(block("print('0.34')"), row("0.3333333\n"), task)).correctness).toBe(false);
  });

  test("difficulty filter then slice", async () => {
    const task = { ...(await config("apps")), preprocess_config: { difficulty: "interview" } };
    const rows = [sumRow, callRow, { ...callRow, _index: "2" }];
    const loadRows = async () => [];
    expect((await apps.selectRows(rows, { task, start: 1, end: -1, loadRows })).map((r) => r._index)).toEqual(["2"]);
  });
});

describe.skipIf(!hasNumpy)(`taco${hasNumpy ? "" : ` (${NO_NUMPY})`}`, () => {
  test("prompts: stdin format without starter code or fn_name, call-based otherwise", async () => {
    const task = await config("taco");
    expect(taco.makePrompt(sumRow, { task, random: noRandom })).toBe(
      "\nQUESTION:\nPrint the sum of two integers.\nUse Standard Input format\nANSWER:\n",
    );
    expect(taco.makePrompt(callRow, { task, random: noRandom })).toBe(
      "\nQUESTION:\nReturn the largest element.\nclass Solution:\n    def largest(self, xs):\n\nUse Call-Based format\nANSWER:\n",
    );
  });

  test("scores stdin and call-based problems; errors are incorrect", async () => {
    const task = await config("taco");
    expect((await taco.score(block("a, b = map(int, input().split())\nprint(a + b)"), sumRow, task)).correctness).toBe(true);
    expect((await taco.score(block("import sys\nsys.exit(1)"), sumRow, task)).correctness).toBe(false);
    expect((await taco.score(block("def f(:"), callRow, task)).correctness).toBe(false);
    const good = "class Solution:\n    def largest(self, xs):\n        return max(xs)";
    expect((await taco.score(block(good), callRow, task)).correctness).toBe(true);
  });
});

/** What LiveCodeBench stores: base64(zlib(pickle.dumps(json.dumps(tests)))), made by the real Python, in one call. */
function encodeWithPython(items: { tests: unknown; protocol: number }[]): string[] {
  const script =
    "import base64, json, pickle, sys, zlib\n" +
    "for item in json.load(sys.stdin):\n" +
    "    data = pickle.dumps(json.dumps(item['tests']), protocol=item['protocol'])\n" +
    "    print(base64.b64encode(zlib.compress(data)).decode())";
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  return execFileSync(python, ["-c", script], { input: JSON.stringify(items), encoding: "utf8" }).trim().split("\n");
}

const stdinTests = [
  { input: "3\n1 2 3\n", output: "6\n", testtype: "stdin" },
  { input: "2\n5 5\n", output: "10\n", testtype: "stdin" },
];
const functionalTests = [
  { input: "[1,2,3]\n2", output: "[3,4,5]", testtype: "functional" },
  { input: "[]\n7", output: "[]", testtype: "functional" },
  { input: "[true]\n0", output: "[true]", testtype: "functional" },
];

function lcbRow(tests: unknown[], extra: Record<string, unknown>): Row {
  return {
    _index: "0",
    question_title: "t",
    question_content: "Add things.",
    platform: "atcoder",
    question_id: "abc001_a",
    contest_id: "abc001",
    contest_date: "2023-01-01T00:00:00",
    starter_code: "",
    difficulty: "easy",
    public_test_cases: JSON.stringify([tests[0]]),
    private_test_cases: encodeWithPython([{ tests, protocol: 4 }])[0],
    metadata: "{}",
    ...extra,
  };
}

describe("livecodebench", () => {
  test("decodes private tests pickled by Python (protocols 2 to 5, short and long strings)", () => {
    const long = [{ input: "x".repeat(70_000) + "\n", output: "é ✓\n", testtype: "stdin" }];
    const cases = [2, 3, 4, 5].flatMap((protocol) => [{ tests: stdinTests, protocol }, { tests: long, protocol }]);
    const encoded = encodeWithPython(cases);
    cases.forEach((c, i) => expect(decodePrivateTests(encoded[i], `protocol ${c.protocol}`)).toEqual(c.tests));
    expect(decodePrivateTests(JSON.stringify(stdinTests), "t")).toEqual(stdinTests);
    expect(() => decodePrivateTests("not base64 zlib", "row 3")).toThrow(/row 3: private_test_cases is not base64 \+ zlib/);
  });

  test("selectRows filters by difficulty, slices and adds upstream's columns", async () => {
    const task = await config("livecodebench_easy");
    const rows = [lcbRow(stdinTests, {}), lcbRow(stdinTests, { _index: "1", difficulty: "hard" })];
    const selected = await lcb.selectRows(rows, { task, start: 0, end: -1, loadRows: async () => [] });
    expect(selected).toHaveLength(1);
    const row = selected[0]!;
    expect(row).toMatchObject({ prompt: "Add things.", task_id: "abc001_a", is_stdin: true, canonical_solution: "", entry_point: "" });
    expect(row["test"]).toEqual(stdinTests);
    expect(row["private_test_cases"]).toEqual(stdinTests);
    expect(lcb.makePrompt(row, { task, random: noRandom })).toBe(
      "Generate an executable Python function generated from the given prompt. The function should take stdin as input and print the output. Simply call the function after the definition. Add things.",
    );
  });

  test("stdin problems: real script semantics (single-quoted main guard, sys.exit, stdin.buffer)", async () => {
    const task = await config("livecodebench");
    const [row] = await lcb.selectRows([lcbRow(stdinTests, {})], { task, start: 0, end: -1, loadRows: async () => [] });
    const plain = "n = int(input())\nprint(sum(map(int, input().split())))";
    expect(await lcb.score(block(plain), row!, task)).toMatchObject({ correctness: true, reason: "" });
    const fancy = "import sys\ndef main():\n    data = sys.stdin.buffer.read().split()\n    print(sum(map(int, data[1:])))\n    sys.exit(0)\nif __name__ == '__main__':\n    main()";
    expect((await lcb.score(block(fancy), row!, task)).correctness).toBe(true);
    expect((await lcb.score(block("print(6)"), row!, task)).correctness).toBe(false);
  });

  test("functional problems: Solution methods by metadata.func_name, JSON inputs incl. true", async () => {
    const task = await config("livecodebench");
    const base = lcbRow(functionalTests, {
      platform: "leetcode",
      starter_code: "class Solution:\n    def addAll(self, nums: List[int], k: int) -> List[int]:\n        ",
      metadata: JSON.stringify({ func_name: "addAll" }),
    });
    const [row] = await lcb.selectRows([base], { task, start: 0, end: -1, loadRows: async () => [] });
    expect(row!["is_stdin"]).toBe(false);
    const good = "from typing import List\nclass Solution:\n    def addAll(self, nums: List[int], k: int) -> List[int]:\n        return [x + k for x in nums]";
    expect(await lcb.score(block(good), row!, task)).toMatchObject({ correctness: true, reason: "" });
    const tuple = "def addAll(nums, k):\n    return tuple(x + k for x in nums)";
    expect((await lcb.score(block(tuple), row!, task)).correctness).toBe(true);
    const wrong = "class Solution:\n    def addAll(self, nums, k):\n        return nums";
    expect((await lcb.score(block(wrong), row!, task)).correctness).toBe(false);
  });

  test("an expected output ending in '-' is cut there, as upstream", async () => {
    const task = await config("livecodebench");
    const tests = [{ input: "", output: "Yes -\n", testtype: "stdin" }];
    const [row] = await lcb.selectRows([lcbRow(tests, {})], { task, start: 0, end: -1, loadRows: async () => [] });
    expect((await lcb.score(block("print('Yes')"), row!, task)).correctness).toBe(true);
  });
});
