import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadRows, type Row } from "../../src/data/index.js";
import { createPythonRandom } from "../../src/py/index.js";
import { loadTask, type LoadedTask, type Score } from "../../src/tasks/index.js";

/** The real benchmark files (see PROVENANCE.md there): `../shared/data` from the repository root. */
export const DATA_DIR = path.resolve(fileURLToPath(new URL("../..", import.meta.url)), "../shared/data");
export const HAS_DATA = existsSync(path.join(DATA_DIR, "PROVENANCE.md"));

export interface TaskRows {
  task: LoadedTask;
  /** Every row of the file, `_index` assigned. */
  all: Row[];
  /** The rows the task's handler keeps for a whole run (start 0, no end). */
  selected: Row[];
}

/** Loads a data file as `--data-file` would and selects rows through the task's handler. */
export async function taskRows(taskName: string, file: string, convert?: (rows: Row[]) => Row[]): Promise<TaskRows> {
  const task = await loadTask(taskName);
  let all = await loadRows({ path: task.config.dataset_path }, { dataFile: path.join(DATA_DIR, file) });
  if (convert) all = convert(all);
  const selected = await task.handler.selectRows(all, {
    task: task.config,
    start: 0,
    end: -1,
    loadRows: () => Promise.reject(new Error("no other dataset is available offline")),
  });
  return { task, all, selected };
}

/** The prompt of every selected row, in order, with one generator for the run (seed 41). */
export function prompts({ task, selected }: TaskRows): string[] {
  const random = createPythonRandom(41);
  return selected.map((row) => task.handler.makePrompt(row, { task: task.config, random }));
}

export interface Case {
  row: Row;
  label: string;
  response: string;
  expect: boolean;
}

/** Scores every case; returns the ones that disagree with their expectation, for one readable diff. */
export async function mismatches({ task }: TaskRows, cases: Case[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of cases) {
    const score: Score = await task.handler.score(c.response, c.row, task.config);
    if (score.correctness !== c.expect) out.push(`${c.row._index} ${c.label}: ${JSON.stringify(c.response)} should be ${c.expect ? "correct" : "wrong"}`);
  }
  return out;
}
