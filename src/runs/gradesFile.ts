import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { RunError } from "../errors.js";
import { writeFileAtomic } from "../writeFileAtomic.js";
import { sampleKey } from "./samplesFile.js";

/** How one test of a code response went (the sandbox's status: ok, error, timeout, killed). */
export interface TestCaseResult {
  passed: boolean;
  status: string;
  /** "time limit exceeded", or the last line of stderr, at most 300 characters. */
  detail: string;
}

/**
 * One line of grades.jsonl: what grading found about a response beyond results.json's
 * `correctness` and `reason`, which must keep upstream's bytes. Today: a code response's tests.
 */
export interface GradeLine {
  /** The problem's `_index`. */
  id: string;
  sample: number;
  /** The tests that ran, in test order, of `total` (grading stops at the first failure, as upstream). */
  tests?: { results: TestCaseResult[]; total: number };
}

export const GRADES_FILE = "grades.jsonl";

/** The folder's grades by `sampleKey(id, sample)`; empty when it has none (a maths task, or upstream's folder). */
export async function readGrades(dir: string): Promise<Map<string, GradeLine>> {
  const file = join(dir, GRADES_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return new Map();
  }
  const out = new Map<string, GradeLine>();
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    let g: GradeLine;
    try {
      g = JSON.parse(line) as GradeLine;
    } catch {
      throw new RunError(`${file} line ${i + 1} is not valid JSON; delete the file and run \`skythought score\` on the folder to write it again`);
    }
    out.set(sampleKey(g.id, g.sample), g);
  });
  return out;
}

/** Writes grades.jsonl whole (atomically); no lines means no file. */
export async function writeGrades(dir: string, lines: Iterable<GradeLine>): Promise<void> {
  const text = [...lines].map((g) => JSON.stringify(g) + "\n").join("");
  if (text === "") await rm(join(dir, GRADES_FILE), { force: true });
  else await writeFileAtomic(join(dir, GRADES_FILE), text);
}
