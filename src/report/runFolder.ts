import { basename, join, resolve } from "node:path";
import { toPlain } from "../py/index.js";
import { RunError } from "../errors.js";
import { readGrades, readResultFiles, readRunJson, readSamples, sampleKey, type GradeLine, type ResultRecord, type SampleLine } from "../runs/index.js";

/**
 * What a report reads from one run folder. Upstream's folders have only `summary.json` and
 * `results.json`; ours add `run.json` (how the run was made) and `samples.jsonl` (finish
 * reasons, timestamps, generation errors). Everything but the two upstream files is optional.
 */
export interface RunFolder {
  dir: string;
  /** The folder's name (`<model>_<task>_<hash>`): how a run is called in a comparison. */
  name: string;
  /** summary.json as plain JSON values. */
  summary: Record<string, unknown>;
  /** results.json's records in file order, as plain JSON values. */
  records: ResultRecord[];
  /** run.json, when the run was made by skythought (not upstream). */
  run: Record<string, unknown> | undefined;
  /** samples.jsonl lines by `sampleKey(id, sample)`; empty for upstream folders. */
  samples: Map<string, SampleLine>;
  /** grades.jsonl lines (a code response's tests) by `sampleKey(id, sample)`; empty when there are none. */
  grades: Map<string, GradeLine>;
}

/** Reads a run folder's files; a folder without summary.json or results.json is refused by name. */
export async function readRunFolder(dir: string): Promise<RunFolder> {
  const abs = resolve(dir);
  const { summary, results } = await readResultFiles(abs).catch((e: unknown) => {
    throw new RunError(`cannot make a report of ${abs}: ${(e as Error).message}; pass a run folder (it holds results.json and summary.json)`);
  });
  return {
    dir: abs,
    name: basename(abs),
    summary: toPlain(summary) as Record<string, unknown>,
    records: [...results.values()].map((r) => toPlain(r) as ResultRecord),
    run: await readRunJson(abs).catch(() => {
      throw new RunError(`${join(abs, "run.json")} is not valid JSON; the report needs it readable (or move it away to report the folder as upstream's)`);
    }),
    samples: readSamples(join(abs, "samples.jsonl")).samples,
    grades: await readGrades(abs),
  };
}

/** The samples.jsonl line of a response, when the folder has one. */
export function sampleLine(folder: RunFolder, id: string, sample: number): SampleLine | undefined {
  return folder.samples.get(sampleKey(id, sample));
}

/** The grades.jsonl line of a response, when the folder has one. */
export function gradeLine(folder: RunFolder, id: string, sample: number): GradeLine | undefined {
  return folder.grades.get(sampleKey(id, sample));
}
