import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RunError } from "../errors.js";
import { parsePythonJson, pythonJson } from "../py/index.js";
import { writeFileAtomic } from "../writeFileAtomic.js";
import type { ResultRecord } from "./results.js";

/** summary.json and results.json of a run folder, read so that rewriting them keeps their bytes. */
export async function readRunFiles(runDir: string): Promise<{ summary: Map<string, unknown>; results: Map<string, ResultRecord> }> {
  const summaryFile = join(runDir, "summary.json");
  const resultsFile = join(runDir, "results.json");
  const summary = parsePythonJson(await readOrThrow(summaryFile, `Run summary file ${summaryFile} does not exist.`), summaryFile);
  const results = parsePythonJson(await readOrThrow(resultsFile, `Results file ${resultsFile} does not exist.`), resultsFile);
  if (!(summary instanceof Map) || !summary.has("configuration")) {
    throw new RunError(`${summaryFile} has no "configuration"; it is not a summary written by skythought`);
  }
  if (!(results instanceof Map)) throw new RunError(`${resultsFile} is not a mapping of problem id to record`);
  for (const [id, r] of results) {
    if (typeof r !== "object" || r === null || !Array.isArray((r as ResultRecord).responses)) {
      throw new RunError(`${resultsFile}: record ${id} has no "responses" list`);
    }
  }
  return { summary, results: results as Map<string, ResultRecord> };
}

/** Rewrites summary.json then results.json (upstream's order), and run.json's metrics when it exists. */
export async function writeScoredRun(runDir: string, summary: Map<string, unknown>, results: Map<string, ResultRecord>, metrics: unknown): Promise<void> {
  await writeFileAtomic(join(runDir, "summary.json"), pythonJson(summary, { ensureAscii: true }));
  await writeFileAtomic(join(runDir, "results.json"), pythonJson(results, { ensureAscii: false }));
  const runJson = join(runDir, "run.json");
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(await readFile(runJson, "utf8")) as Record<string, unknown>;
  } catch {
    return; // a folder upstream wrote: it has no run.json
  }
  record.metrics = metrics;
  record.scored_at = new Date().toISOString();
  await writeFileAtomic(runJson, JSON.stringify(record, null, 2) + "\n");
}

async function readOrThrow(file: string, missing: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new RunError(missing);
    throw new RunError(`cannot read ${file}: ${(e as Error).message}`);
  }
}
