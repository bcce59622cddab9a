import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, vi, describe, expect, test } from "vitest";
import { testModel } from "../fixtures/models.js";
import { makeWorkspace } from "../pipeline/fixtures.js";
import { ensureBuilt } from "./build.js";
import { cli, startCli } from "./run.js";
import { CHATML_TEMPLATE } from "../../src/gguf/index.js";

// Each test spawns the CLI several times (a few seconds each on a loaded two-core machine).
vi.setConfig({ testTimeout: 300_000 });

let model: string;

beforeAll(async () => {
  await ensureBuilt();
  model = await testModel("tiny", { chatTemplate: CHATML_TEMPLATE });
}, 300_000);

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

function args(ws: ReturnType<typeof makeWorkspace>, sampling: string, extra: string[] = []): string[] {
  return [
    "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile, "--model", model,
    "--backend-args", "gpu=cpu,threads=1,max_sequences=2,n_ctx=2048", "--sampling-params", sampling, "--quiet", ...extra,
  ];
}

// The real in-process backend with a generated random-weight GGUF (test/fixtures/models.ts).
describe("llama backend end to end", () => {
  test("evaluate with n=2 writes valid files; generate then score equals evaluate", async () => {
    const ws = makeWorkspace(3);
    const sampling = "temperature=0.8,max_tokens=12";
    const ev = await cli(["evaluate", ...args(ws, sampling, ["--n", "2", "--result-dir", join(ws.dir, "ev")])]);
    expect(ev.stderr).toMatch(/^(warning: Model .* not found .*\n)?$/);
    expect(ev.code).toBe(0);
    const folder = readdirSync(join(ws.dir, "ev"))[0]!;
    expect(folder).toMatch(/\.gguf_tiny_math_[0-9a-f]{6}$/);
    const evDir = join(ws.dir, "ev", folder);
    const results = JSON.parse(read(evDir, "results.json"));
    expect(Object.keys(results)).toEqual(["0", "1", "2"]);
    for (const r of Object.values(results) as { responses: unknown[]; token_usages: { completion_tokens: number }[] }[]) {
      expect(r.responses).toHaveLength(2);
      for (const u of r.token_usages) expect(u.completion_tokens).toBeGreaterThan(0);
    }
    const run = JSON.parse(read(evDir, "run.json"));
    expect(run.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.model.chat_template_sha256).toMatch(/^[0-9a-f]{64}$/);
    // The engine's own reading of the GGUF agrees with the TS one.
    expect(run.backend.info).toMatchObject({ backend: "llama", model: { architecture: run.model.architecture, parameterCount: run.model.parameter_count } });

    const gen = await cli(["generate", ...args(ws, sampling, ["--n", "2", "--result-dir", join(ws.dir, "gen")])]);
    expect(gen.code).toBe(0);
    const genDir = join(ws.dir, "gen", folder);
    const sc = await cli(["score", "--run-dir", genDir, "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--quiet"]);
    expect(sc.code).toBe(0);
    expect(read(genDir, "results.json")).toBe(read(evDir, "results.json"));
    expect(read(genDir, "summary.json")).toBe(read(evDir, "summary.json"));
  });

  test("SIGKILL halfway, rerun: the same results.json as an uninterrupted greedy run", async () => {
    const ws = makeWorkspace(24);
    const sampling = "temperature=0,max_tokens=48";
    const clean = await cli(["evaluate", ...args(ws, sampling, ["--result-dir", join(ws.dir, "clean")])]);
    expect(clean.code).toBe(0);
    const folder = readdirSync(join(ws.dir, "clean"))[0]!;

    const runDir = join(ws.resultDir, folder);
    const samples = join(runDir, "samples.jsonl");
    const { child, done } = startCli(["evaluate", ...args(ws, sampling, ["--result-dir", ws.resultDir])]);
    while (!(existsSync(samples) && read(runDir, "samples.jsonl").split("\n").length > 3)) {
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    const kept = read(runDir, "samples.jsonl").split("\n").filter((l) => l.endsWith("}")).length;
    expect(kept).toBeLessThan(24);

    const again = await cli(["evaluate", ...args(ws, sampling, ["--result-dir", ws.resultDir])]);
    expect(again.code).toBe(0);
    const ids = read(runDir, "samples.jsonl").trim().split("\n").map((l) => JSON.parse(l).id as string);
    expect(new Set(ids).size).toBe(24);
    expect(ids).toHaveLength(24);
    expect(read(runDir, "results.json")).toBe(read(join(ws.dir, "clean", folder), "results.json"));
    expect(read(runDir, "summary.json")).toBe(read(join(ws.dir, "clean", folder), "summary.json"));
  });

  test("SIGKILL with problems half sampled (n=4, two slots), rerun: the same results.json as an uninterrupted sampled run", async () => {
    const ws = makeWorkspace(6);
    const sampling = "temperature=0.8,max_tokens=24";
    const run = (dir: string) => ["evaluate", ...args(ws, sampling, ["--n", "4", "--result-dir", dir])];
    const clean = await cli(run(join(ws.dir, "clean")));
    expect(clean.code).toBe(0);
    const folder = readdirSync(join(ws.dir, "clean"))[0]!;

    const runDir = join(ws.resultDir, folder);
    const samples = join(runDir, "samples.jsonl");
    const { child, done } = startCli(run(ws.resultDir));
    // Two slots take two of a problem's four samples at a time: after 3 lines one problem is half done.
    while (!(existsSync(samples) && read(runDir, "samples.jsonl").split("\n").length > 3)) {
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    expect(existsSync(join(runDir, ".skythought.lock"))).toBe(true);

    const again = await cli(run(ws.resultDir));
    expect(again.code).toBe(0);
    expect(existsSync(join(runDir, ".skythought.lock"))).toBe(false);
    const keys = read(runDir, "samples.jsonl").trim().split("\n").map((l) => `${JSON.parse(l).id}/${JSON.parse(l).sample}`);
    expect(new Set(keys).size).toBe(24);
    expect(keys).toHaveLength(24);
    expect(read(runDir, "results.json")).toBe(read(join(ws.dir, "clean", folder), "results.json"));
  });
});

describe("prompts longer than the context", () => {
  test("are errors, counted and grouped with the fix; nothing is scored as a wrong answer", async () => {
    const ws = makeWorkspace(3);
    // Longer than the model's 4,096-token context: no n_ctx could hold them (explicit sizes too small
    // for a prompt that would fit the model are refused before generating, see the KV plan tests).
    const long = JSON.stringify({ problem: `What is 1+1? ${"Think about it carefully. ".repeat(900)}`, answer: "2" });
    writeFileSync(ws.dataFile, `${read(ws.dir, "rows.jsonl").trim().split("\n").slice(0, 2).join("\n")}\n${long}\n${long}\n`);
    const r = await cli([
      "evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile, "--model", model,
      "--backend-args", "gpu=cpu,threads=1,max_sequences=1,n_ctx=256", "--sampling-params", "temperature=0.8,max_tokens=8",
      "--n", "2", "--result-dir", ws.resultDir, "--quiet",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: 4 of 8 samples ended in an error, so nothing was scored and results\.json and summary\.json were not written \(errored samples are not answers\):\n {2}4 × the prompt needs \d+ tokens but the model's context is 4096 tokens; shorten the prompt \(rows 2, 3\)\n/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(ws.resultDir, readdirSync(ws.resultDir)[0]!, "summary.json"))).toBe(false);
  });
});

describe("no silent truncation (issue 10)", () => {
  // 4 sequences x 1,500 tokens do not fit 2,048 cells, where fixed slices of 512 cells used to cut
  // every answer at ~490 tokens: now one sequence runs at a time (kv_mode auto), or all four share
  // the cells as a pool that preempts (kv_mode=pool).
  for (const [mode, plan] of [["auto", /KV streams: 1 sequence x 2048 tokens \(n_ctx=2048 holds 1 at full length/], ["pool", /KV pool: 2048 tokens shared by up to 4 sequences/]] as const) {
    test(`n_ctx=2048, max_sequences=4, max_tokens=1500, 4 problems, kv_mode ${mode}: every sample that ends with length has exactly 1,500 tokens`, async () => {
      const ws = makeWorkspace(4);
      const run = await cli([
        "evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile, "--model", model,
        "--backend-args", `gpu=cpu,threads=1,n_ctx=2048,max_sequences=4,kv_mode=${mode}`, "--sampling-params", "temperature=0.7,max_tokens=1500",
        "--result-dir", ws.resultDir,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(plan);
      const dir = join(ws.resultDir, readdirSync(ws.resultDir)[0]!);
      const samples = read(dir, "samples.jsonl").trim().split("\n").map((l) => JSON.parse(l) as { finish_reason: string; completion_tokens: number; preemptions?: number });
      expect(samples).toHaveLength(4);
      for (const s of samples) {
        expect(["stop", "length"]).toContain(s.finish_reason);
        if (s.finish_reason === "length") expect(s.completion_tokens).toBe(1500);
      }
      expect(samples.some((s) => s.finish_reason === "length")).toBe(true);
      // run.json records how the engine was sized and the preemptions the pool took.
      const info = JSON.parse(read(dir, "run.json")).backend.info;
      expect(info.engine.plan).toMatch(plan);
      expect(info.preemptions).toBe(samples.reduce((a, s) => a + (s.preemptions ?? 0), 0));
      if (mode === "pool") expect(info.preemptions).toBeGreaterThan(0);
    });
  }
});

describe("skythought bench", () => {
  test("prints DESIGN.md's JSON rows, greedy and sampled", async () => {
    const base = ["bench", "--model", model, "--gpu", "cpu", "--threads", "1", "--parallel", "1,3", "--prompt-tokens", "8", "--max-tokens", "6", "--json"];
    for (const extra of [[], ["--temperature", "0.7", "--top-p", "0.9", "--min-p", "0.05"]]) {
      const run = await cli([...base, ...extra]);
      expect(run.code, run.stderr).toBe(0);
      const rows = JSON.parse(run.stdout) as Record<string, number>[];
      expect(rows.map((r) => r.parallel)).toEqual([1, 3]);
      for (const r of rows) {
        expect(r).toMatchObject({ promptTokens: 8, maxTokens: 6 });
        for (const k of ["prefillTokensPerSec", "decodeTokensPerSec", "wallSec"]) expect(r[k]).toBeGreaterThan(0);
      }
    }
    const bad = await cli([...base, "--top-p", "1.5"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--top-p.*must be a number in \[0, 1\]/);
  });

  test("--n-batch below --parallel is an error naming the fix, not an abort (issue 12)", async () => {
    const run = await cli(["bench", "--model", model, "--gpu", "cpu", "--threads", "1", "--parallel", "4", "--n-batch", "2", "--max-tokens", "2"]);
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
    expect(run.stderr).toMatch(/^error: --n-batch 2 is below the 4 sequences decoded together \(--parallel x --n-samples\): .*raise --n-batch to at least 4$/m);
  });
});
