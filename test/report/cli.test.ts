import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { ensureBuilt } from "../cli/build.js";
import { cli } from "../cli/run.js";
import { chatModel, mathWorkspace } from "./runFolders.js";

vi.setConfig({ testTimeout: 300_000 });

let model: string;
beforeAll(async () => {
  await ensureBuilt();
  model = await chatModel();
}, 300_000);

function evaluateArgs(ws: ReturnType<typeof mathWorkspace>, resultDir: string, extra: string[] = []): string[] {
  return ["evaluate", "--task", "sums", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile, "--model", model,
    "--backend-args", "gpu=cpu,threads=1,max_sequences=2,n_ctx=1024", "--sampling-params", "temperature=0.8,max_tokens=8", "--n", "2", "--result-dir", resultDir, ...extra];
}

describe("report.html at the end of evaluate and score", () => {
  test("evaluate writes it and names it in the final table; score rewrites it; --no-report skips it", async () => {
    const ws = mathWorkspace(3);
    const ev = await cli(evaluateArgs(ws, join(ws.dir, "a")));
    expect(ev.code, ev.stderr).toBe(0);
    const runDir = join(ws.dir, "a", readdirSync(join(ws.dir, "a"))[0]!);
    const report = join(runDir, "report.html");
    expect(ev.stdout).toContain(`report             ${report}\n`);
    expect(readFileSync(report, "utf8")).toMatch(/^<!doctype html>[\s\S]*<figure class="chart" data-chart="lengths"><svg/);

    const before = statSync(report).mtimeMs;
    const sc = await cli(["score", "--run-dir", runDir, "--task", "sums", "--tasks-dir", ws.tasksDir, "--quiet"]);
    expect(sc.code, sc.stderr).toBe(0);
    expect(statSync(report).mtimeMs).toBeGreaterThan(before);

    const off = await cli(evaluateArgs(ws, join(ws.dir, "b"), ["--no-report", "--quiet"]));
    expect(off.code, off.stderr).toBe(0);
    const offDir = join(ws.dir, "b", readdirSync(join(ws.dir, "b"))[0]!);
    expect(existsSync(join(offDir, "report.html"))).toBe(false);
    expect(readdirSync(offDir).sort()).toEqual(["results.json", "run.json", "samples.jsonl", "summary.json"]);

    const md = await cli(["report", runDir, offDir, "--format", "md"]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^## sums: 2 runs\n\n- 1\. .*\n- 2\. .*\n\n\| metric \| 1\. .* \| 2\. .* \|\n/);
  });
});

describe("skythought report: bad input gets a message naming the problem", () => {
  test("a folder that is not a run", async () => {
    const ws = mathWorkspace(1);
    const r = await cli(["report", ws.tasksDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot make a report of ${ws.tasksDir}: Run summary file ${join(ws.tasksDir, "summary.json")} does not exist.; pass a run folder (it holds results.json and summary.json)\n`);
  });

  test("an output path that cannot be written", async () => {
    const ws = mathWorkspace(2);
    const ev = await cli(evaluateArgs(ws, join(ws.dir, "a"), ["--no-report", "--quiet"]));
    expect(ev.code, ev.stderr).toBe(0);
    const runDir = join(ws.dir, "a", readdirSync(join(ws.dir, "a"))[0]!);
    const r = await cli(["report", runDir, "-o", join(ws.dir, "missing", "r.html")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write the report to .*missing\/r\.html: .*ENOENT.*; choose another -o\n$/);
    const bad = await cli(["report", runDir, "--format", "pdf"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/argument 'pdf' is invalid\. Allowed choices are html, md/);
  });
});
