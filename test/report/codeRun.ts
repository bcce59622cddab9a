import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend, Completion, GenerationRequest } from "../../src/backends/index.js";
import { evaluate } from "../../src/pipeline/index.js";
import { python } from "../code/pythonEnv.js";

/** Sample i's program for "print the sum": right, wrong on the second test, raising, and no code at all. */
export const PROGRAMS = [
  "n = int(input())\nprint(sum(map(int, input().split())))",
  "n = int(input())\nprint(sum(map(int, input().split())) + (1 if n == 1 else 0))",
  'raise ValueError("bad input")',
  null,
];

class CodeBackend implements Backend {
  async *generate(requests: GenerationRequest[]): AsyncIterable<Completion> {
    for (const r of requests) {
      for (let i = 0; i < r.n; i++) {
        const program = PROGRAMS[i % PROGRAMS.length];
        const text = program === null ? "I cannot solve this." : `Read n, then the numbers.\n\`\`\`python\n${program}\n\`\`\``;
        yield { requestId: r.id, sampleIndex: i, text, finishReason: "stop", promptTokens: 10, completionTokens: text.length };
      }
    }
  }
  async close(): Promise<void> {}
}

/** LiveCodeBench's private tests: pickle, zlib, base64 of the JSON text, as the dataset stores them. */
function encode(tests: unknown[]): string {
  const script = "import base64, json, pickle, sys, zlib\nprint(base64.b64encode(zlib.compress(pickle.dumps(sys.stdin.read()))).decode())";
  return execFileSync(python, ["-c", script], { input: JSON.stringify(tests), encoding: "utf8" }).trim();
}

/** A LiveCodeBench run (two problems, three stdin tests each, which LiveCodeBench grades with the private ones, n=4) made by the real pipeline; returns its folder. */
export async function codeRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "skythought-report-code-"));
  const tests = [
    { input: "2\n3 4\n", output: "7\n", testtype: "stdin" },
    { input: "1\n5\n", output: "5\n", testtype: "stdin" },
    { input: "3\n1 1 1\n", output: "3\n", testtype: "stdin" },
  ];
  const rows = [0, 1].map((i) => ({
    question_title: `sum ${i}`, question_content: "Print the sum of the numbers.", platform: "test", question_id: `q${i}`, contest_id: "c",
    contest_date: "2024-01-01T00:00:00", starter_code: "", difficulty: "easy", public_test_cases: JSON.stringify(tests.slice(0, 1)),
    private_test_cases: encode(tests), metadata: "{}",
  }));
  const dataFile = join(dir, "lcb.jsonl");
  writeFileSync(dataFile, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const out = await evaluate({
    task: "livecodebench", dataFile, model: "fake/coder", backend: new CodeBackend(), samplingParams: "temperature=0.6,max_tokens=200", n: 4,
    resultDir: join(dir, "out"),
  });
  return out.runDir;
}
