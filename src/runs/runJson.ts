import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RunError } from "../errors.js";
import { writeFileAtomic } from "../writeFileAtomic.js";

/**
 * running: a session is generating (or was killed -9 while it did); finished: summary.json and
 * results.json are written; aborted: stopped by Ctrl-C or an abort signal; failed: stopped by an
 * error; incomplete: every sample was tried but some ended in an error, so nothing was scored.
 */
export type RunStatus = "running" | "finished" | "aborted" | "failed" | "incomplete";

/** run.json (field order fixed, like inspect's EvalSpec): what is needed to reproduce the run. */
export interface RunRecord {
  version: number;
  status: RunStatus;
  config_digest: string;
  seed: number;
  config: unknown;
  [key: string]: unknown;
}

/** run.json is ours (not upstream's format): plain JSON, with PyFloat/Map/bigint flattened. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

export async function writeRunJson(dir: string, record: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(join(dir, "run.json"), JSON.stringify(record, jsonReplacer, 2) + "\n");
}

/** The folder's run.json; undefined when there is none (a folder upstream wrote). */
export async function readRunJson(dir: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, "run.json"), "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as RunRecord;
  } catch {
    throw new RunError(`${join(dir, "run.json")} is not valid JSON; rerun with --overwrite to start the run afresh`);
  }
}
