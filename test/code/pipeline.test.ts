import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import type { Backend, Completion, GenerationRequest } from "../../src/backends/index.js";
import { evaluate, score } from "../../src/pipeline/index.js";
import { closeSharedPool } from "../../src/scoring/code/index.js";
import { python } from "./pythonEnv.js";

afterAll(() => closeSharedPool());

// evaluate -> results.json -> score, end to end on LiveCodeBench-format rows from a local file,
// with a backend that answers from a table of solutions.
const SOLUTIONS: Record<string, string> = {
  "Print the sum of the numbers.": "n = int(input())\nprint(sum(map(int, input().split())))",
  "Return the list with k added to every element.": "class Solution:\n    def addAll(self, nums, k):\n        return [x - k for x in nums]",
};

class TableBackend implements Backend {
  async *generate(requests: GenerationRequest[]): AsyncIterable<Completion> {
    for (const r of requests) {
      const user = r.messages.filter((m) => m.role === "user").pop()!.content;
      const question = Object.keys(SOLUTIONS).find((q) => user.endsWith(q))!;
      const text = `Solution:\n\`\`\`python\n${SOLUTIONS[question]}\n\`\`\``;
      for (let i = 0; i < r.n; i++) {
        yield { requestId: r.id, sampleIndex: i, text, finishReason: "stop", promptTokens: 10, completionTokens: 20 };
      }
    }
  }
  async close(): Promise<void> {}
}

function encode(tests: unknown[]): string {
  const script = "import base64, json, pickle, sys, zlib\nprint(base64.b64encode(zlib.compress(pickle.dumps(sys.stdin.read()))).decode())";
  return execFileSync(python, ["-c", script], { input: JSON.stringify(tests), encoding: "utf8" }).trim();
}

test("livecodebench: evaluate scores a right and a wrong solution, score re-scores results.json alike; no maj@k for code", async () => {
  const dir = mkdtempSync(join(tmpdir(), "skythought-code-"));
  const stdin = [{ input: "2\n3 4\n", output: "7\n", testtype: "stdin" }];
  const functional = [{ input: "[1,2]\n1", output: "[2,3]", testtype: "functional" }];
  const rows = [
    { question_content: "Print the sum of the numbers.", tests: stdin, starter: "", metadata: "{}" },
    {
      question_content: "Return the list with k added to every element.",
      tests: functional,
      starter: "class Solution:\n    def addAll(self, nums, k):\n        ",
      metadata: JSON.stringify({ func_name: "addAll" }),
    },
  ].map((r, i) => ({
    question_title: `t${i}`,
    question_content: r.question_content,
    platform: "test",
    question_id: `q${i}`,
    contest_id: "c",
    contest_date: "2024-01-01T00:00:00",
    starter_code: r.starter,
    difficulty: "easy",
    public_test_cases: JSON.stringify(r.tests),
    private_test_cases: encode(r.tests),
    metadata: r.metadata,
  }));
  const dataFile = join(dir, "lcb.jsonl");
  writeFileSync(dataFile, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");

  const out = await evaluate({
    task: "livecodebench",
    dataFile,
    model: "fake/coder",
    backend: new TableBackend(),
    samplingParams: "temperature=0.6,max_tokens=100",
    n: 2,
    resultDir: join(dir, "out"),
  });
  const results = JSON.parse(readFileSync(join(out.runDir, "results.json"), "utf8")) as Record<string, { responses: { correctness: boolean; reason: string }[] }>;
  expect(results["0"]!.responses[0]).toMatchObject({ correctness: true, reason: "" });
  expect(results["1"]!.responses[0]).toMatchObject({ correctness: false, reason: "Code is incorrect." });
  const accuracy = () => (JSON.parse(readFileSync(join(out.runDir, "summary.json"), "utf8")) as { accuracy: number }).accuracy;
  expect(accuracy()).toBe(0.5);

  writeFileSync(join(out.runDir, "summary.json"), readFileSync(join(out.runDir, "summary.json"), "utf8").replace('"accuracy": 0.5', '"accuracy": 0.0'));
  expect(accuracy()).toBe(0);
  const rescored = await score({ runDir: out.runDir, task: "livecodebench" });
  expect(accuracy()).toBe(0.5);
  // A code answer has no key to vote on: maj@k is not reported (it was "the last number in the code").
  for (const metrics of [out.metrics, rescored.metrics, JSON.parse(readFileSync(join(out.runDir, "run.json"), "utf8")).metrics]) {
    expect(metrics).toMatchObject({ samples_per_problem: 2, pass_at_k: { "k=2": expect.anything() } });
    expect(metrics).not.toHaveProperty("maj_at_k");
  }
});
