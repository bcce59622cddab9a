import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, vi, describe, expect, test } from "vitest";
import { makeWorkspace } from "../pipeline/fixtures.js";
import { ensureBuilt, ROOT } from "./build.js";
import { startFakeOpenAIServer } from "./fakeOpenAIServer.js";
import { cli, startCli } from "./run.js";

// Each test spawns the CLI several times (a few seconds each on a loaded two-core machine).
vi.setConfig({ testTimeout: 300_000 });

let server: Awaited<ReturnType<typeof startFakeOpenAIServer>>;

beforeAll(async () => {
  await ensureBuilt();
  server = await startFakeOpenAIServer({ delayMs: 20 });
}, 300_000);

afterAll(async () => {
  await server?.close();
});

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

function runArgs(ws: ReturnType<typeof makeWorkspace>, extra: string[] = []): string[] {
  return [
    "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile,
    "--model", "fake/served-model", "--backend", "openai",
    "--backend-args", `base_url=${server.url},max_concurrency=2,max_retries=0`,
    "--sampling-params", "temperature=0.6,max_tokens=64", "--n", "2",
    ...extra,
  ];
}

describe("skythought CLI end to end (openai backend against a local fake server)", () => {
  test("evaluate writes the run folder and prints the metrics table", async () => {
    const ws = makeWorkspace();
    const r = await cli(["evaluate", ...runArgs(ws), "--result-dir", ws.resultDir]);
    expect(r.stderr).toMatch(/run folder/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accuracy \(%\)\s+\d+\.\d+/);
    expect(r.stdout).toMatch(/pass@k \(%\)\s+k=2 /);
    const [folder] = readdirSync(ws.resultDir);
    expect(folder).toMatch(/^fake_served-model_tiny_math_[0-9a-f]{6}$/);
    const summary = JSON.parse(read(join(ws.resultDir, folder!), "summary.json"));
    expect(summary.configuration.backend).toEqual({ name: "openai", backend_args: { base_url: server.url, max_concurrency: 2, max_retries: 0 } });
  });

  test("generate then score gives the files evaluate gives", async () => {
    const ws = makeWorkspace();
    const ev = await cli(["evaluate", ...runArgs(ws), "--result-dir", join(ws.dir, "ev"), "--quiet"]);
    const gen = await cli(["generate", ...runArgs(ws), "--result-dir", join(ws.dir, "gen"), "--quiet"]);
    expect([ev.code, gen.code]).toEqual([0, 0]);
    const folder = readdirSync(join(ws.dir, "ev"))[0]!;
    const genDir = join(ws.dir, "gen", folder);
    const sc = await cli(["score", "--run-dir", genDir, "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--quiet"]);
    expect(sc.code).toBe(0);
    expect(read(genDir, "results.json")).toBe(read(join(ws.dir, "ev", folder), "results.json"));
    expect(read(genDir, "summary.json")).toBe(read(join(ws.dir, "ev", folder), "summary.json"));
  });

  test("kill -9 halfway, rerun: same files as an uninterrupted run, no sample lost or duplicated", async () => {
    const ws = makeWorkspace(12);
    const clean = await cli(["evaluate", ...runArgs(ws), "--result-dir", join(ws.dir, "clean"), "--quiet"]);
    expect(clean.code).toBe(0);
    const folder = readdirSync(join(ws.dir, "clean"))[0]!;
    const runDir = join(ws.resultDir, folder);

    const { child, done } = startCli(["evaluate", ...runArgs(ws), "--result-dir", ws.resultDir, "--quiet"]);
    const samples = join(runDir, "samples.jsonl");
    while (!(existsSync(samples) && read(runDir, "samples.jsonl").split("\n").length > 6)) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    const kept = read(runDir, "samples.jsonl").split("\n").filter((l) => l.endsWith("}")).length;
    expect(kept).toBeLessThan(24);
    const early = await cli(["score", "--run-dir", runDir, "--task", "tiny_math", "--tasks-dir", ws.tasksDir]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/does not exist\. The run did not finish: rerun the evaluate or generate command that made this folder; it resumes \(finished samples are kept\)/);

    const again = await cli(["evaluate", ...runArgs(ws), "--result-dir", ws.resultDir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`${kept}/24 samples already done`));
    const lines = read(runDir, "samples.jsonl").trim().split("\n").map((l) => JSON.parse(l) as { id: string; sample: number });
    expect(new Set(lines.map((l) => `${l.id}/${l.sample}`)).size).toBe(24);
    expect(read(runDir, "results.json")).toBe(read(join(ws.dir, "clean", folder), "results.json"));
    expect(read(runDir, "summary.json")).toBe(read(join(ws.dir, "clean", folder), "summary.json"));
  });
});

test.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)("%s stops cleanly with exit %i, keeps finished samples, records the run as aborted, and the rerun completes", async (signal, code) => {
  const ws = makeWorkspace(12);
  const { child, done } = startCli(["evaluate", ...runArgs(ws), "--result-dir", ws.resultDir, "--quiet"]);
  const samplesOf = () => {
    const folder = existsSync(ws.resultDir) ? readdirSync(ws.resultDir)[0] : undefined;
    const f = folder && join(ws.resultDir, folder, "samples.jsonl");
    return f && existsSync(f) ? readFileSync(f, "utf8").split("\n").filter((l) => l.endsWith("}")).length : 0;
  };
  while (samplesOf() < 3) await new Promise((r) => setTimeout(r, 10));
  child.kill(signal);
  const r = await done;
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(/rerun the same command to resume/);
  const kept = samplesOf();
  expect(kept).toBeGreaterThanOrEqual(3);
  expect(kept).toBeLessThan(24);
  const runDir = join(ws.resultDir, readdirSync(ws.resultDir)[0]!);
  const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
  expect(record.status).toBe("aborted");
  expect(record.sessions[0].error).toBe(`interrupted by ${signal}`);
  const again = await cli(["evaluate", ...runArgs(ws), "--result-dir", ws.resultDir]);
  expect(again.code).toBe(0);
  expect(again.stderr).toMatch(new RegExp(`${kept}/24 samples already done`));
  expect(samplesOf()).toBe(24);
});

describe("bad input gives a clear message and a non-zero exit", () => {
  const ws = makeWorkspace();
  const cases: [string, string[], number, RegExp][] = [
    ["unknown task", ["evaluate", ...["--task", "nosuch", "--model", "x.gguf", "--tasks-dir", ws.tasksDir]], 1, /unknown task "nosuch".*tiny_math/],
    ["missing model file", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", join(ws.dir, "missing.gguf"), "--data-file", ws.dataFile], 1, /missing\.gguf: no such file/],
    ["bad --n", ["evaluate", "--task", "tiny_math", "--model", "m", "--n", "two"], 2, /--n.*expected an integer, got "two"/],
    ["missing --task", ["evaluate", "--model", "m"], 2, /required option '--task/],
    ["unknown sampling key", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", "m", "--backend", "openai", "--sampling-params", "temprature=1"], 1, /unknown key "temprature"; valid keys are temperature/],
    ["bad k=v", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", "m", "--backend", "openai", "--backend-args", "a=1,b"], 1, /--backend-args: expected a comma-separated list/],
    ["unknown llama backend arg, before the model is looked at", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", join(ws.dir, "missing.gguf"), "--backend-args", "max_seqs=4"], 1, /unknown --backend-args key "max_seqs" for the llama backend; valid keys: gpu, /],
    ["a --result-dir that is a file", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", "m", "--backend", "openai", "--data-file", ws.dataFile, "--result-dir", ws.dataFile], 1, /cannot be made: .*rows\.jsonl is a file, not a folder; choose another --result-dir/],
    ["a sampling parameter spelled as a flag, as vLLM's CLI does", ["evaluate", "--task", "tiny_math", "--model", "m", "--max-tokens", "5"], 2, /unknown option '--max-tokens'\nhint: sampling parameters go in one option: --sampling-params max_tokens=VALUE/],
    ["an engine setting spelled as a flag", ["evaluate", "--task", "tiny_math", "--model", "m", "--n-ctx=4096"], 2, /unknown option '--n-ctx=4096'\nhint: engine settings go in one option: --backend-args n_ctx=VALUE/],
    ["unknown backend", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", "m", "--backend", "ray"], 1, /unknown backend "ray"/],
    ["generate without a folder", ["generate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", "m", "--backend", "openai"], 1, /exactly one of --result-dir/],
    ["hf: model that cannot be fetched", ["evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--model", "hf:skythought-test/no-such-repo-GGUF:Q4_K_M"], 1, /--model hf:skythought-test\/no-such-repo-GGUF:Q4_K_M: (cannot reach Hugging Face|cannot resolve the model)/],
    ["score of a missing folder", ["score", "--run-dir", join(ws.dir, "none"), "--task", "tiny_math"], 1, /Run directory .* does not exist/],
  ];
  test.each(cases)("%s", async (_name, args, code, message) => {
    const r = await cli(args);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack without --verbose
    expect(r.code).toBe(code);
  });

  test("a broken task YAML names the file", async () => {
    const w = makeWorkspace();
    writeFileSync(join(w.tasksDir, "broken.yaml"), "handler: math\ndataset_path: [unclosed\n");
    const r = await cli(["evaluate", "--task", "broken", "--tasks-dir", w.tasksDir, "--model", "m", "--backend", "openai"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml/);
  });

  test("an unwritable result dir says so", async () => {
    const w = makeWorkspace();
    writeFileSync(join(w.dir, "file"), "x");
    const r = await cli(["evaluate", ...runArgs(w), "--result-dir", join(w.dir, "file")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/choose another --result-dir/);
  });
});

describe("listing", () => {
  test("tasks lists built-in and --tasks-dir tasks", async () => {
    const w = makeWorkspace();
    const r = await cli(["tasks", "--tasks-dir", w.tasksDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^aime24\s+aime\s+AI-MO\/aimo-validation-aime \/ train\s+builtin$/m);
    expect(r.stdout).toMatch(/^tiny_math\s+math\s+local\/tiny-math \/ test\s+user$/m);
  });

  test("--version is package.json's version", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(read(ROOT, "package.json")).version);
  });

  test("models lists the model configs and system prompts", async () => {
    const r = await cli(["models"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Qwen\/QwQ-32B-Preview/);
    expect(r.stdout).toMatch(/system prompts \(--system-prompt-name\): .*prime_rl/);
  });
});
