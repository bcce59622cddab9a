import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { FinishReason } from "../backends/index.js";
import { RunError } from "../errors.js";
import { FolderLock } from "./folderLock.js";
import { readGrades, writeGrades, type GradeLine } from "./gradesFile.js";
import { readResultFiles, writeResultFiles } from "./resultFiles.js";
import type { ResultRecord } from "./results.js";
import { readRunJson, writeRunJson } from "./runJson.js";
import { readSamples, sampleKey } from "./samplesFile.js";

/**
 * A run folder whose results.json is scored again (`score`): its files read so that writing them
 * back keeps their bytes, under the folder's lock from `open` until `rescore` or `close`.
 */
export class ExistingRun {
  private constructor(
    readonly dir: string,
    /** summary.json, a mapping in file order. */
    readonly summary: Map<string, unknown>,
    /** results.json, by problem id in file order. */
    readonly results: Map<string, ResultRecord>,
    /** samples.jsonl's finish reasons; undefined for a folder without one (upstream's). */
    readonly finishReasons: FinishReason[] | undefined,
    private readonly lock: FolderLock,
  ) {}

  /** @param given the folder as the user named it (for messages) */
  static async open(given: string): Promise<ExistingRun> {
    const dir = resolve(given);
    try {
      await access(dir);
    } catch {
      throw new RunError(`Run directory ${given} does not exist.`);
    }
    // Rewrites results.json and summary.json: not while a run (or another score) writes the folder.
    const lock = await FolderLock.acquire(dir);
    try {
      const { summary, results } = await readResultFiles(dir);
      const samples = [...readSamples(join(dir, "samples.jsonl")).samples.values()];
      return new ExistingRun(dir, summary, results, samples.length > 0 ? samples.map((s) => s.finish_reason) : undefined, lock);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /**
   * Writes summary.json and results.json (upstream's order), grades.jsonl, then run.json's metrics,
   * `facts` (how it was scored) and `scored_at` when the folder has a readable run.json (upstream's
   * folders have none), and lets go of the folder.
   */
  async rescore(out: {
    summary: Map<string, unknown>;
    results: Map<string, ResultRecord>;
    rescored: readonly ResultRecord[];
    grades: GradeLine[];
    metrics: unknown;
    facts?: Record<string, unknown>;
  }): Promise<void> {
    await writeResultFiles(this.dir, out.summary, out.results);
    // The responses scored again replace their lines; the others (score --ids) keep theirs.
    const grades = await readGrades(this.dir);
    for (const r of out.rescored) r.responses.forEach((_, i) => grades.delete(sampleKey(r._index, i)));
    for (const g of out.grades) grades.set(sampleKey(g.id, g.sample), g);
    const inResultsOrder = [...out.results.values()].flatMap((r) => r.responses.map((_, i) => grades.get(sampleKey(r._index, i))));
    await writeGrades(this.dir, inResultsOrder.filter((g): g is GradeLine => g !== undefined));
    // A damaged run.json is left as it is: scoring does not need it.
    const record = await readRunJson(this.dir).catch(() => undefined);
    if (record) await writeRunJson(this.dir, { ...record, ...out.facts, metrics: out.metrics, scored_at: new Date().toISOString() });
    await this.close();
  }

  /** Lets go of the folder (its lock); safe to call again. */
  async close(): Promise<void> {
    await this.lock.release();
  }
}
