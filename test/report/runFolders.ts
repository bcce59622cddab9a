import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate } from "../../src/pipeline/index.js";
import { testModel } from "../fixtures/models.js";
import { ReasoningBackend } from "./reasoningBackend.js";

const CHATML =
  "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}" +
  "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

/** The tiny random-weight qwen2 GGUF with a ChatML template: real runs through the llama backend. */
export function chatModel(): Promise<string> {
  return testModel("tiny", { chatTemplate: CHATML });
}

/** A math task with MATH-style `level` and `type` columns, and `rows` "What is A+B?" rows. */
export function mathWorkspace(rows: number): { dir: string; tasksDir: string; dataFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "skythought-report-"));
  const tasksDir = join(dir, "tasks");
  mkdirSync(tasksDir);
  writeFileSync(
    join(tasksDir, "sums.yaml"),
    ["handler: math", "dataset_path: local/sums", "dataset_split: test", "question_key: problem", "answer_key: answer",
      "templating_parameters:", '  template: "Return your final response within \\\\boxed{{}}. {problem}"', ""].join("\n"),
  );
  const dataFile = join(dir, "rows.jsonl");
  const types = ["Algebra", "Number Theory", "Geometry"];
  const lines = Array.from({ length: rows }, (_, i) =>
    JSON.stringify({ problem: `What is ${i}+${i * 2}?\nShow your work.`, answer: String(i * 3), level: 1 + (i % 5), type: types[i % 3] }),
  );
  writeFileSync(dataFile, lines.join("\n") + "\n");
  return { dir, tasksDir, dataFile };
}

/**
 * A run folder made by the real pipeline (evaluate) with a ReasoningBackend: results.json,
 * summary.json, run.json and samples.jsonl as any run writes them.
 */
export async function reasoningRun(opts: { rows?: number; n?: number; seed: number; skill: number; maxTokens?: number; errorSample?: { id: string; sample: number }; workspace?: ReturnType<typeof mathWorkspace> }): Promise<string> {
  const ws = opts.workspace ?? mathWorkspace(opts.rows ?? 6);
  const out = await evaluate({
    task: "sums",
    tasksDir: ws.tasksDir,
    dataFile: ws.dataFile,
    model: `reasoner/skill-${opts.skill}`,
    backend: new ReasoningBackend({ skill: opts.skill, ...(opts.errorSample ? { errorSample: opts.errorSample } : {}) }),
    samplingParams: `temperature=0.6,max_tokens=${opts.maxTokens ?? 340}`,
    n: opts.n ?? 4,
    seed: opts.seed,
    resultDir: join(ws.dir, `out-${opts.seed}-${opts.skill}`),
    // The report shows generation errors: a run with an errored sample must still write its files.
    ...(opts.errorSample ? { allowErroredSamples: true } : {}),
  });
  return out.runDir;
}

/** A copy of a run folder as upstream SkyThought leaves it: only results.json and summary.json. */
export function upstreamCopy(runDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), "skythought-upstream-"));
  for (const f of ["results.json", "summary.json"]) copyFileSync(join(runDir, f), join(dir, f));
  return dir;
}
