import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { score } from "../../src/pipeline/index.js";
import { buildReport, readRunFolder, runReport } from "../../src/report/index.js";
import { closeSharedPool } from "../../src/scoring/code/index.js";
import { codeRun } from "./codeRun.js";

afterAll(() => closeSharedPool());

let runDir: string;
beforeAll(async () => {
  runDir = await codeRun();
}, 120_000);

const grades = (dir: string) => readFileSync(join(dir, "grades.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));

describe("a code task's tests, kept in grades.jsonl (results.json keeps upstream's bytes)", () => {
  test("each graded program's tests: what ran, in order, and how each went", () => {
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(Object.keys(results["0"].responses[0])).toEqual(["content", "correctness", "reason"]);
    const lines = grades(runDir);
    expect(lines.map((g) => [g.id, g.sample])).toEqual([["0", 0], ["0", 1], ["0", 2], ["1", 0], ["1", 1], ["1", 2]]); // sample 3 has no code: nothing ran
    expect(lines[0].tests).toEqual({ total: 3, results: [0, 1, 2].map(() => ({ passed: true, status: "ok", detail: "" })) });
    expect(lines[1].tests.total).toBe(3);
    expect(lines[1].tests.results[0]).toEqual({ passed: true, status: "ok", detail: "" });
    expect(lines[1].tests.results[1]).toMatchObject({ passed: false, status: "ok" });
    expect(lines[2].tests.results[0]).toEqual({ passed: false, status: "error", detail: "ValueError: bad input" });
  });

  test("the report says which test failed and how", async () => {
    const r = runReport(await readRunFolder(runDir));
    expect(r.problems[0]!.samples.map((s) => s.why)).toEqual([
      "all 3 tests passed",
      "test 2 of 3: failed (wrong output)",
      "test 1 of 3: error (ValueError: bad input)",
      "failed: Does not contain code component.",
    ]);
    expect(r.problems[0]!.samples.every((s) => s.answer === null)).toBe(true);
    const html = await buildReport([runDir]);
    expect(html).toContain('"why":"test 1 of 3: error (ValueError: bad input)"');
  });

  test("score --ids rewrites the lines of the responses it grades and keeps the others", async () => {
    const fresh = grades(runDir);
    // Mark every line; the ones score grades again lose the mark.
    const marked = fresh.map((g) => ({ ...g, tests: { ...g.tests, results: g.tests.results.map((t: object) => ({ ...t, detail: "mark" })) } }));
    writeFileSync(join(runDir, "grades.jsonl"), marked.map((g) => JSON.stringify(g) + "\n").join(""));
    // Tests after a failure may or may not have run (they run in parallel): compare what is certain.
    const marks = () => grades(runDir).map((g) => [g.id, g.sample, g.tests.results.some((t: { detail: string }) => t.detail === "mark")]);
    await score({ runDir, task: "livecodebench", ids: "1", report: false });
    expect(marks()).toEqual(fresh.map((g) => [g.id, g.sample, g.id === "0"]));
    await score({ runDir, task: "livecodebench", report: false });
    expect(marks()).toEqual(fresh.map((g) => [g.id, g.sample, false]));
  });
});
