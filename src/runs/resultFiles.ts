import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RunError } from "../errors.js";
import { parsePythonJson, pythonJson } from "../py/index.js";
import { writeFileAtomic } from "../writeFileAtomic.js";
import type { ResultRecord } from "./results.js";

/** summary.json and results.json of a run folder, read so that rewriting them keeps their bytes. */
export async function readResultFiles(runDir: string): Promise<{ summary: Map<string, unknown>; results: Map<string, ResultRecord> }> {
  const summaryFile = join(runDir, "summary.json");
  const resultsFile = join(runDir, "results.json");
  const advice = rebuildAdvice(runDir);
  const unfinished = unfinishedAdvice(runDir);
  const summary = parsePythonJson(await readOrThrow(summaryFile, `Run summary file ${summaryFile} does not exist.${unfinished}`), summaryFile, advice);
  const results = parsePythonJson(await readOrThrow(resultsFile, `Results file ${resultsFile} does not exist.${unfinished}`), resultsFile, advice);
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

/**
 * summary.json then results.json (upstream's order), as Python's json.dumps writes them: the
 * summary ASCII-escaped, the results not.
 */
export async function writeResultFiles(runDir: string, summary: unknown, results: unknown): Promise<void> {
  await writeFileAtomic(join(runDir, "summary.json"), pythonJson(summary, { ensureAscii: true }));
  await writeFileAtomic(join(runDir, "results.json"), pythonJson(results, { ensureAscii: false }));
}

/**
 * What to do about a damaged results.json or summary.json, the safe fix first: both are rebuilt
 * from samples.jsonl by the same command, which generates nothing again; --overwrite would throw
 * samples.jsonl away.
 */
export function rebuildAdvice(runDir: string): string {
  if (!existsSync(join(runDir, "samples.jsonl"))) {
    return "restore it from a copy (this folder has no samples.jsonl to rebuild it from), or run again with --overwrite";
  }
  return (
    "rerun the evaluate or generate command that made this folder: it rebuilds results.json and summary.json " +
    "from samples.jsonl without generating anything again (--overwrite would throw the samples away)"
  );
}

// After upstream's "does not exist.": a folder with samples.jsonl but no results is a run that
// stopped before the end (killed, or samples that errored), which its own command resumes.
function unfinishedAdvice(runDir: string): string {
  if (!existsSync(join(runDir, "samples.jsonl"))) return "";
  return " The run did not finish: rerun the evaluate or generate command that made this folder; it resumes (finished samples are kept) and writes results.json and summary.json";
}

async function readOrThrow(file: string, missing: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new RunError(missing);
    throw new RunError(`cannot read ${file}: ${(e as Error).message}`);
  }
}
