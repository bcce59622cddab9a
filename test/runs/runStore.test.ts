import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { RunError } from "../../src/errors.js";
import { PyFloat } from "../../src/py/index.js";
import { RunStore } from "../../src/runs/runStore.js";
import { readSamples, type SampleLine } from "../../src/runs/samplesFile.js";

const identity = (temperature: number, seed = 41) => ({
  config: { sampling_params: { temperature } },
  configDigest: `digest${temperature}`,
  seed,
});
const sample = (id: string, i: number, finish: SampleLine["finish_reason"] = "stop"): SampleLine => ({
  id, sample: i, text: `t${id}${i}`, finish_reason: finish, prompt_tokens: 3, completion_tokens: 4, time: "2026-01-01T00:00:00.000Z",
});

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), "skythought-store-")), "run");
}

describe("RunStore", () => {
  test("samples appended in one session are there in the next", async () => {
    const dir = freshDir();
    const a = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    await a.start({}, { command: "generate" });
    a.appendSample(sample("0", 0));
    a.appendSample(sample("0", 1, "error"));
    await a.end("aborted", { ended_at: "x" });

    const b = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    expect(b.hasSample("0", 0)).toBe(true);
    expect(b.hasSample("0", 1)).toBe(false); // errors are retried
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).sessions).toHaveLength(1);
  });

  test("a torn last line is dropped and truncated before the next append", async () => {
    const dir = freshDir();
    const a = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    await a.start({}, {});
    a.appendSample(sample("0", 0));
    await a.end("aborted", {});
    appendFileSync(join(dir, "samples.jsonl"), '{"id":"1","sam');

    const b = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    expect(b.done.size).toBe(1);
    await b.start({}, {});
    b.appendSample(sample("1", 0));
    await b.end("aborted", {});
    const lines = readFileSync(join(dir, "samples.jsonl"), "utf8").split("\n");
    expect(lines.map((l) => (l ? JSON.parse(l).id : ""))).toEqual(["0", "1", ""]);
  });

  test("a corrupt line in the middle is an error naming the line", () => {
    const dir = mkdtempSync(join(tmpdir(), "skythought-store-"));
    writeFileSync(join(dir, "samples.jsonl"), `${JSON.stringify(sample("0", 0))}\nnot json\n${JSON.stringify(sample("1", 0))}\n`);
    expect(() => readSamples(join(dir, "samples.jsonl"))).toThrow(/line 2 is not valid JSON/);
  });

  test("another config, another seed, or an unknown folder is refused", async () => {
    const dir = freshDir();
    const a = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    await a.start({}, {});
    await a.end("aborted", {});
    await expect(RunStore.open(dir, { identity: identity(0.7), overwrite: false })).rejects.toThrow(/sampling_params\.temperature: 0\.6 -> 0\.7/);
    await expect(RunStore.open(dir, { identity: identity(0.6, 7), overwrite: false })).rejects.toThrow(/--seed 41, not 7/);
    const other = mkdtempSync(join(tmpdir(), "skythought-store-"));
    writeFileSync(join(other, "results.json"), "{}");
    await expect(RunStore.open(other, { identity: identity(0.6), overwrite: false })).rejects.toThrow(RunError);
    await expect(RunStore.open(other, { identity: identity(0.6), overwrite: false })).rejects.toThrow(/already exists. pass `--overwrite`/);
  });

  test("a run of another model file (sha256) is refused", async () => {
    const dir = freshDir();
    const a = await RunStore.open(dir, { identity: { ...identity(0.6), modelSha256: "a".repeat(64) }, overwrite: false });
    await a.start({ model: { sha256: "a".repeat(64) } }, {});
    await a.end("aborted", {});
    await expect(RunStore.open(dir, { identity: { ...identity(0.6), modelSha256: "b".repeat(64) }, overwrite: false })).rejects.toThrow(
      /another model file \(sha256 aaaaaaaaaaaa…, now bbbbbbbbbbbb…\)/,
    );
  });

  test("--overwrite removes our files and starts afresh", async () => {
    const dir = freshDir();
    const a = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    await a.start({}, {});
    a.appendSample(sample("0", 0));
    await a.end("aborted", {});
    writeFileSync(join(dir, "notes.txt"), "mine");
    const b = await RunStore.open(dir, { identity: identity(0.7), overwrite: true });
    expect(b.done.size).toBe(0);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
  });

  test("resume-from a folder that does not exist", async () => {
    await expect(RunStore.open(freshDir(), { identity: identity(0.6), overwrite: false, mustExist: true })).rejects.toThrow(/does not exist/);
  });

  test("openExisting holds the folder's lock; rescore writes with finish's serialiser, updates run.json's metrics, lets go", async () => {
    const dir = freshDir();
    const a = await RunStore.open(dir, { identity: identity(0.6), overwrite: false });
    await a.start({ model: { name: "m" } }, {});
    a.appendSample(sample("0", 0));
    const record = { problem: "é", _index: "0", responses: [{ content: "x", correctness: true, reason: "" }], token_usages: [] };
    await a.finish({
      summary: new Map<string, unknown>([["configuration", {}], ["accuracy", new PyFloat(1)]]),
      results: new Map([["0", record]]),
      grades: [],
      metrics: { accuracy: new PyFloat(1) },
      session: {},
    });
    const files = () => ["summary.json", "results.json"].map((f) => readFileSync(join(dir, f), "utf8"));
    const written = files();

    const run = await RunStore.openExisting(dir);
    expect(run.finishReasons).toEqual(["stop"]);
    await expect(RunStore.open(dir, { identity: identity(0.6), overwrite: false })).rejects.toThrow(/already being written by another run in this process/);
    await expect(RunStore.openExisting(dir)).rejects.toThrow(/already being written by another run in this process/);
    await run.rescore({ summary: run.summary, results: run.results, rescored: [...run.results.values()], grades: [], metrics: { accuracy: new PyFloat(0.5), maj_at_k: null } });
    expect(files()).toEqual(written);
    const runJson = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(runJson.metrics).toEqual({ accuracy: 0.5, maj_at_k: null });
    expect(Object.keys(runJson).slice(0, 4)).toEqual(["version", "status", "config_digest", "seed"]);
    expect(typeof runJson.scored_at).toBe("string");
    await (await RunStore.openExisting(dir)).close();
  });

  test("openExisting of a missing folder or one without results is refused", async () => {
    await expect(RunStore.openExisting(freshDir())).rejects.toThrow(/Run directory .* does not exist/);
    const dir = mkdtempSync(join(tmpdir(), "skythought-store-"));
    await expect(RunStore.openExisting(dir)).rejects.toThrow(/Run summary file .* does not exist/);
    // The failed open let go of the folder.
    writeFileSync(join(dir, "summary.json"), '{"configuration": {}}');
    writeFileSync(join(dir, "results.json"), "{}");
    await (await RunStore.openExisting(dir)).close();
  });
});
