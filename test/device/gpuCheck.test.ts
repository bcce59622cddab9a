import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";

// The pieces of test/device/gpu-check.sh that run anywhere: its results writer, the text
// comparison its correctness steps report, and the time budget that skips what does not fit.
const HERE = new URL(".", import.meta.url).pathname;
const run = promisify(execFile);

function step(work: string, dir: string, files: Record<string, string>): void {
  mkdirSync(join(work, "steps", dir), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(work, "steps", dir, name), text);
}

describe("results-table.mjs", () => {
  test("writes one row per step with its GPU memory peak, then the steps' tables", async () => {
    const work = mkdtempSync(join(tmpdir(), "gpu-check-"));
    writeFileSync(join(work, "env.json"), JSON.stringify({ gpu: "NVIDIA H200, 143771 MiB", commit: "abc1234", node: "v20.20.2" }));
    writeFileSync(join(work, "gpu-memory.txt"), "100 500, 143771\n105 9000, 143771\n111 70000, 143771\n12");
    step(work, "01-build", { status: "ok", seconds: "200", started: "90", ended: "104", "summary.txt": "built | in 200 s\n" });
    step(work, "02-throughput", {
      status: "ok", seconds: "6", started: "105", ended: "111", "summary.txt": "0.95x at worst",
      "details.json": JSON.stringify({ tables: [{ title: "throughput", head: ["parallel", "ours"], rows: [[1, "512.0"], [8, "3000.5"]] }] }),
    });
    step(work, "03-long_generation", { status: "timeout", seconds: "0", started: "0", ended: "0" });
    const out = join(work, "out");
    await run(process.execPath, [join(HERE, "results-table.mjs"), work, out]);

    expect(readFileSync(join(out, "results.md"), "utf8")).toBe(
      [
        "# GPU check: NVIDIA H200, 143771 MiB",
        "",
        "commit abc1234 · node v20.20.2",
        "",
        "GPU memory: 500 of 143771 MiB used at the start (143271 free); peak 70000 MiB, in throughput",
        "",
        "| step | status | s | result |",
        "|---|---|---|---|",
        "| build | ok | 200 | built \\| in 200 s [GPU memory peak 500 MiB] |",
        "| throughput | ok | 6 | 0.95x at worst [GPU memory peak 70000 MiB] |",
        "| long_generation | timeout | 0 |  |",
        "",
        "### throughput",
        "",
        "| parallel | ours |",
        "|---|---|",
        "| 1 | 512.0 |",
        "| 8 | 3000.5 |",
        "",
      ].join("\n"),
    );
    const json = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(json.gpuMemory).toEqual({ totalMiB: 143771, usedAtStartMiB: 500, peakUsedMiB: 70000, peakStep: "throughput" });
    expect(json.steps.map((s: { name: string; gpuMemoryPeakMiB: number | null }) => [s.name, s.gpuMemoryPeakMiB])).toEqual([
      ["build", 500],
      ["throughput", 70000],
      ["long_generation", null],
    ]);
  });

  test("a details.json that is not JSON is reported, not fatal", async () => {
    const work = mkdtempSync(join(tmpdir(), "gpu-check-"));
    step(work, "01-smoke", { status: "failed (1)", "summary.txt": "boom", "details.json": "{not json" });
    await run(process.execPath, [join(HERE, "results-table.mjs"), work, join(work, "out")]);
    const json = JSON.parse(readFileSync(join(work, "out", "results.json"), "utf8"));
    expect(json.steps[0].details.unreadable).toMatch(/details\.json: .*JSON/);
    expect(readFileSync(join(work, "out", "results.md"), "utf8")).toContain("# GPU check: no GPU\n");
  });
});

describe("divergence.mjs", () => {
  test("reports how many texts are equal and where the first differing pair parts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gpu-check-"));
    writeFileSync(join(dir, "a.json"), JSON.stringify({ texts: ["same", "abcdef", "xyz"] }));
    writeFileSync(join(dir, "b.json"), JSON.stringify({ texts: ["same", "abcXef", "x"] }));
    const { stdout } = await run(process.execPath, [join(HERE, "divergence.mjs"), join(dir, "a.json"), join(dir, "b.json")]);
    const c = JSON.parse(stdout);
    expect(c.summary).toBe("1/3 equal, earliest divergence at char 1");
    expect(c.differing).toEqual([
      { index: 1, divergence: { index: 3, lengths: [6, 6], a: "def", b: "Xef" } },
      { index: 2, divergence: { index: 1, lengths: [3, 1], a: "yz", b: "" } },
    ]);
  });
});

describe("gpu-check.sh", () => {
  test("with its time budget spent, every step is skipped and the results still written", async () => {
    const work = mkdtempSync(join(tmpdir(), "gpu-check-"));
    const { stdout } = await run("bash", [join(HERE, "gpu-check.sh")], {
      env: { ...process.env, GPU_CHECK_BUDGET_S: "0", GPU_CHECK_WORK: work, OUT: join(work, "out") },
    });
    expect(stdout).toMatch(/^setup\s+skipped\s+\d+ s {2}skipped: the time budget is spent \(GPU_CHECK_BUDGET_S=0\)$/m);
    const md = readFileSync(join(work, "out", "results.md"), "utf8");
    for (const name of ["setup", "gpu_info", "build", "models", "smoke", "evaluate", "greedy_gpu_cpu", "batch_invariance", "throughput", "long_generation"]) {
      expect(md).toMatch(new RegExp(`^\\| ${name} \\| skipped \\| \\d+ \\| skipped: the time budget is spent`, "m"));
    }
  });
});
