import { access, constants, readdir, readFile, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DiskFullError, RunError } from "../errors.js";
import { makeDirectory } from "../makeDirectory.js";
import { parsePythonJson } from "../py/index.js";
import { configDifferences } from "./configDiff.js";
import { ExistingRun } from "./existingRun.js";
import { FolderLock, LOCK_FILE } from "./folderLock.js";
import { GRADES_FILE, writeGrades, type GradeLine } from "./gradesFile.js";
import { writeResultFiles } from "./resultFiles.js";
import type { Problem, ResultRecord } from "./results.js";
import { jsonReplacer, readRunJson, writeRunJson, type RunRecord, type RunStatus } from "./runJson.js";
import { readSamples, SamplesAppender, sampleKey, type SampleLine } from "./samplesFile.js";

export const RUN_FILES = ["samples.jsonl", "run.json", "summary.json", "results.json", GRADES_FILE, "report.html"] as const;
const RUN_JSON_VERSION = 1;

/** What must match for a folder's samples to be reused. */
export interface RunIdentity {
  /** The upstream run config (hashed into the folder name). */
  config: unknown;
  /** Full 8-hex-digit digest of `config`. */
  configDigest: string;
  /** `--seed`: not in upstream's hash, but samples from another seed must not be mixed in. */
  seed: number;
  /** The model's content (GGUF sha256), when known. */
  modelSha256?: string | undefined;
}

export interface OpenRunOptions {
  identity: RunIdentity;
  /** Start afresh: delete our files in the folder first. */
  overwrite: boolean;
  /** The folder must already exist (generate --resume-from). */
  mustExist?: boolean;
}

/**
 * A run folder, shaped like inspect's Recorder: `open` (init: create or check the folder),
 * `start` (run.json), `appendSample` (samples.jsonl, as samples finish), `finish` (summary.json,
 * results.json, run.json). samples.jsonl is the source of truth: rerunning the same command
 * continues from what it holds. The store holds the folder's lock from `open` until `finish`,
 * `end` or `close`. `openExisting` opens a finished folder to score it again. Nothing else
 * writes a run folder's files.
 */
export class RunStore {
  private appender: SamplesAppender | undefined;
  private record: RunRecord | undefined;

  private constructor(
    readonly dir: string,
    readonly identity: RunIdentity,
    /** Samples finished by earlier sessions, by (id, sample). */
    readonly done: Map<string, SampleLine>,
    private readonly validBytes: number,
    private readonly previous: RunRecord | undefined,
    private readonly lock: FolderLock,
  ) {}

  /**
   * A folder's results.json and summary.json, to be scored again and written back with
   * `rescore`; throws a RunError when the folder or its files are missing or damaged.
   */
  static openExisting(dir: string): Promise<ExistingRun> {
    return ExistingRun.open(dir);
  }

  static async open(dir: string, opts: OpenRunOptions): Promise<RunStore> {
    // The lock file, and the one a concurrent starter writes aside before linking it, are not run files.
    const entries = (await listFolder(dir, opts.mustExist === true)).filter((f) => !f.startsWith(LOCK_FILE));
    try {
      await makeDirectory(dir);
      await access(dir, constants.W_OK);
    } catch (e) {
      if (e instanceof DiskFullError) throw e;
      throw new RunError(`cannot create or write the run folder ${dir}: ${(e as Error).message}; choose another --result-dir`);
    }
    const lock = await FolderLock.acquire(dir);
    try {
      if (opts.overwrite) {
        for (const f of RUN_FILES) await rm(join(dir, f), { force: true });
      } else if (entries.length > 0) {
        await checkCompatible(dir, entries, opts.identity, opts.mustExist === true);
      }
      const previous = opts.overwrite ? undefined : await readRunJson(dir);
      const { samples, validBytes } = opts.overwrite ? { samples: new Map(), validBytes: 0 } : readSamples(join(dir, "samples.jsonl"));
      const store = new RunStore(dir, opts.identity, samples, validBytes, previous, lock);
      if (!opts.overwrite && opts.mustExist) await store.importUpstreamResults();
      return store;
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /**
   * Records of a results.json that upstream wrote (a folder first made without run.json, resumed
   * with `generate --resume-from`): as upstream, those problems are not generated again and their
   * records come first in the new results.json, on this resume and the later ones.
   */
  readonly imported = new Map<string, ResultRecord>();

  private async importUpstreamResults(): Promise<void> {
    const file = join(this.dir, "results.json");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return;
    }
    const results = parsePythonJson(
      text,
      file,
      "restore it from a copy, or delete it to generate again the problems that samples.jsonl lacks (--overwrite starts afresh)",
    );
    if (!(results instanceof Map)) throw new RunError(`${file} is not a mapping of problem id to record; pass --overwrite to start afresh`);
    // Records built from our own samples are rebuilt from samples.jsonl; only the others are kept as they are.
    const sampled = new Set([...this.done.values()].map((s) => s.id));
    for (const [id, record] of results) if (!sampled.has(id)) this.imported.set(id, record as ResultRecord);
  }

  /**
   * Problems whose stored samples answer another prompt than today's (the data file, the chat
   * template or the system prompt changed), by `prompt_hash`; samples that ended in an error (they
   * are generated again) and lines without a hash (written before it was recorded) are not checked.
   */
  promptChanges(problems: readonly Problem[]): { id: string; stored: string; now: string }[] {
    const now = new Map(problems.map((p) => [p.row._index, p.promptHash]));
    const changed = new Map<string, { id: string; stored: string; now: string }>();
    for (const s of this.done.values()) {
      const hash = now.get(s.id);
      if (hash === undefined || s.prompt_hash === undefined || s.finish_reason === "error" || s.prompt_hash === hash) continue;
      if (!changed.has(s.id)) changed.set(s.id, { id: s.id, stored: s.prompt_hash, now: hash });
    }
    return [...changed.values()];
  }

  /** What the previous session recorded in run.json (undefined for a new folder or --overwrite). */
  get previousRecord(): Readonly<RunRecord> | undefined {
    return this.previous;
  }

  hasSample(id: string, sample: number): boolean {
    const s = this.done.get(sampleKey(id, sample));
    return s !== undefined && s.finish_reason !== "error";
  }

  /** Writes run.json (status running) and opens samples.jsonl for appending. */
  async start(info: Record<string, unknown>, session: Record<string, unknown>): Promise<void> {
    const sessions = Array.isArray(this.previous?.sessions) ? [...(this.previous.sessions as unknown[])] : [];
    sessions.push(session);
    this.record = {
      version: RUN_JSON_VERSION,
      status: "running",
      config_digest: this.identity.configDigest,
      seed: this.identity.seed,
      config: this.identity.config,
      ...mergeInfo(this.previous, info),
      sessions,
    };
    await this.writeRunJson();
    this.appender = new SamplesAppender(join(this.dir, "samples.jsonl"), this.validBytes);
  }

  appendSample(line: SampleLine): void {
    if (!this.appender) throw new RunError("appendSample before start: this is a bug in skythought");
    this.appender.append(line);
    this.done.set(sampleKey(line.id, line.sample), line);
  }

  /** Flushes samples, then writes summary.json, results.json (in upstream's order) and run.json. */
  async finish(out: { summary: unknown; results: unknown; grades: GradeLine[]; metrics: unknown; session: Record<string, unknown> }): Promise<void> {
    this.closeSamples();
    await writeResultFiles(this.dir, out.summary, out.results);
    await writeGrades(this.dir, out.grades);
    if (this.record) {
      const sessions = this.record.sessions as Record<string, unknown>[];
      sessions[sessions.length - 1] = { ...sessions[sessions.length - 1], ...out.session };
      this.record = { ...this.record, status: "finished", metrics: out.metrics };
      await this.writeRunJson();
    }
    await this.close();
  }

  /**
   * Ends a session that wrote no results (aborted, failed, or incomplete: samples ended in an
   * error): samples are kept, run.json records the status and the session's end. Best
   * effort: this runs while another error is on its way to the user (perhaps a full disk), and a
   * failure here must not replace it.
   */
  async end(status: Exclude<RunStatus, "running" | "finished">, session: Record<string, unknown>): Promise<void> {
    try {
      this.closeSamples();
      if (this.record) {
        const sessions = this.record.sessions as Record<string, unknown>[];
        sessions[sessions.length - 1] = { ...sessions[sessions.length - 1], ...session };
        this.record = { ...this.record, status };
        await this.writeRunJson();
      }
    } catch {
      // run.json keeps the previous write ("running"); samples.jsonl is what resume reads.
    } finally {
      await this.close();
    }
  }

  /** Lets go of the folder (its lock); finish and end do this too. Safe to call again. */
  async close(): Promise<void> {
    try {
      this.closeSamples();
    } finally {
      await this.lock.release();
    }
  }

  private closeSamples(): void {
    const appender = this.appender;
    this.appender = undefined;
    appender?.close();
  }

  private async writeRunJson(): Promise<void> {
    if (this.record) await writeRunJson(this.dir, this.record);
  }
}

/**
 * This session's facts over the previous session's, one level deep: a session that generates
 * nothing creates no backend, and must not drop the versions the earlier session recorded.
 */
function mergeInfo(previous: RunRecord | undefined, info: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...info };
  for (const [k, v] of Object.entries(info)) {
    const before = previous?.[k];
    if (isPlainObject(before) && isPlainObject(v)) out[k] = { ...before, ...v };
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

async function listFolder(dir: string, mustExist: boolean): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (mustExist) throw new RunError(`Output directory ${dir} does not exist.`);
      return [];
    }
    if (code === "ENOTDIR") throw new RunError(`the run folder ${dir} cannot be made: ${await fileOnPath(dir)} is a file, not a folder; choose another --result-dir`);
    throw new RunError(`cannot read the run folder ${dir}: ${(e as Error).message}`);
  }
}

/** The nearest of `dir` and its parents that exists and is not a folder (what made it ENOTDIR). */
async function fileOnPath(dir: string): Promise<string> {
  for (let at = dir; ; at = dirname(at)) {
    const entry = await stat(at).catch(() => undefined);
    if (entry && !entry.isDirectory()) return at;
    if (dirname(at) === at) return dir;
  }
}

async function checkCompatible(dir: string, entries: string[], identity: RunIdentity, resuming: boolean): Promise<void> {
  const previous = await readRunJson(dir);
  if (!previous) {
    // Upstream's --resume-from checks nothing; its results.json is imported (RunStore.imported).
    if (resuming && !entries.includes("samples.jsonl")) return;
    if (entries.includes("samples.jsonl")) {
      throw new RunError(`${dir} has samples.jsonl but no run.json, so its config is unknown; pass --overwrite to start afresh or choose another --result-dir`);
    }
    throw new RunError(`Output directory ${dir} already exists. pass \`--overwrite\` to overwrite.`);
  }
  const hint = "pass --overwrite to start afresh, or choose another --result-dir";
  if (previous.config_digest !== identity.configDigest) {
    const diffs = configDifferences(previous.config, JSON.parse(JSON.stringify(identity.config, jsonReplacer)));
    throw new RunError(
      `${dir} holds a run with another config (${diffs.slice(0, 5).join("; ") || "digest " + previous.config_digest}); ${hint}`,
    );
  }
  if (previous.seed !== identity.seed) {
    throw new RunError(`${dir} holds a run made with --seed ${previous.seed}, not ${identity.seed}; ${hint}`);
  }
  const prevSha = (previous.model as { sha256?: string } | undefined)?.sha256;
  if (prevSha && identity.modelSha256 && prevSha !== identity.modelSha256) {
    throw new RunError(`${dir} holds a run of another model file (sha256 ${prevSha.slice(0, 12)}…, now ${identity.modelSha256.slice(0, 12)}…); ${hint}`);
  }
}
