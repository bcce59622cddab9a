import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Workspace {
  dir: string;
  tasksDir: string;
  dataFile: string;
  resultDir: string;
}

/** A temp folder with a math task YAML (`tiny_math`) and a JSONL data file of "What is A+B?" rows. */
export function makeWorkspace(rows = 5): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "skythought-pipeline-"));
  const tasksDir = join(dir, "tasks");
  const dataFile = join(dir, "rows.jsonl");
  mkdirSync(tasksDir, { recursive: true });
  writeFileSync(
    join(tasksDir, "tiny_math.yaml"),
    [
      "handler: math",
      "dataset_path: local/tiny-math",
      "dataset_split: test",
      "question_key: problem",
      "answer_key: answer",
      "templating_parameters:",
      '  template: "Return your final response within \\\\boxed{{}}. {problem}"',
      "",
    ].join("\n"),
  );
  const lines = Array.from({ length: rows }, (_, i) =>
    JSON.stringify({ problem: `What is ${i}+${i * 2}?`, answer: String(i * 3), level: i, note: "é" }),
  );
  writeFileSync(dataFile, lines.join("\n") + "\n");
  return { dir, tasksDir, dataFile, resultDir: join(dir, "out") };
}
