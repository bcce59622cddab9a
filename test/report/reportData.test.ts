import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { ConfigError, RunError } from "../../src/errors.js";
import { buildReport, cutMiddle, flippedProblems, lengthBins, lengthCap, readRunFolder, runReport, verdictWhy, type RunReport } from "../../src/report/index.js";
import { mathWorkspace, reasoningRun, upstreamCopy } from "./runFolders.js";

const json = (dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));

interface Results {
  [id: string]: { answer: string; responses: { content: string; correctness: boolean; reason: string }[]; token_usages: { completion_tokens: number }[] };
}

let runA: string;
let runB: string;
let report: RunReport;

beforeAll(async () => {
  const ws = mathWorkspace(8);
  runA = await reasoningRun({ workspace: ws, seed: 1, skill: 30, errorSample: { id: "2", sample: 3 } });
  runB = await reasoningRun({ workspace: ws, seed: 7, skill: 75 });
  report = runReport(await readRunFolder(runA));
}, 120_000);

describe("a run's report data, from its folder's files", () => {
  test("each response's verdict, answer, tokens and finish reason are the folder's", () => {
    const results = json(runA, "results.json") as Results;
    const samples = readFileSync(join(runA, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(report.problems.map((p) => p.id)).toEqual(Object.keys(results));
    expect(report.n).toBe(4);
    for (const p of report.problems) {
      const r = results[p.id]!;
      expect(p.gold).toBe(r.answer);
      expect(p.question).toBe(`What is ${p.id}+${Number(p.id) * 2}?`); // the first line only
      p.samples.forEach((s, i) => {
        expect(s.correct).toBe(r.responses[i]!.correctness);
        expect(s.tokens).toBe(r.token_usages[i]!.completion_tokens);
        const line = samples.find((x) => x.id === p.id && x.sample === i);
        expect(s.finish).toBe(line.finish_reason);
        expect(s.time).toBe(line.time);
        // The last \boxed{}, else (a response cut at max_tokens) the last number.
        const content = r.responses[i]!.content;
        const expected = /\\boxed\{(\d+)\}/.exec(content)?.[1] ?? content.match(/\d+/g)?.pop() ?? null;
        expect(s.answer).toBe(expected);
      });
    }
  });

  test("the verdict says what was extracted against which gold, or why there is nothing", () => {
    const all = report.problems.flatMap((p) => p.samples.map((s) => ({ p, s })));
    const right = all.find(({ s }) => s.correct === true)!;
    expect(right.s.why).toBe(`extracted \`${right.s.answer}\`, gold \`${right.p.gold}\`: equal`);
    const wrong = all.find(({ s }) => s.correct === false && s.answer !== null)!;
    expect(wrong.s.why).toBe(`extracted \`${wrong.s.answer}\`, gold \`${wrong.p.gold}\`: Solution is incorrect.`);
    const none = { correct: false, answer: null, tokens: 300, finish: "length", reason: "Solution is incorrect.", error: null, graderError: null, time: null };
    expect(verdictWhy(none, "25\\%")).toBe('no answer found (no \\boxed{}, no "answer is", no number); gold `25\\%`: Solution is incorrect.');
    expect(verdictWhy({ ...none, reason: "Code is incorrect." }, null)).toBe("failed: Code is incorrect.");
    expect(verdictWhy({ ...none, correct: true, reason: "" }, null)).toBe("every test passed");
    expect(verdictWhy({ ...none, correct: null, reason: null }, "1")).toMatch(/^not scored/);
    expect(verdictWhy({ ...none, graderError: "RecursionError in mathEqual" }, "1")).toBe("grader error (counted as not correct): RecursionError in mathEqual");
    const failed = report.problems.find((p) => p.id === "2")!.samples[3]!;
    expect(failed.error).toMatch(/context holds 8,192/);
    expect(failed.why).toBe(`generation failed: ${failed.error}`);
  });

  test("pass@k and maj@k agree with summary.json and run.json at their k values; the curve has every k", () => {
    const summary = json(runA, "summary.json");
    const run = json(runA, "run.json");
    const at = (metric: string, k: number) => report.curves.find((c) => c.metric === metric && c.k === k)?.value;
    expect(report.curves.filter((c) => c.metric === "pass@k").map((c) => c.k)).toEqual([1, 2, 3, 4]);
    for (const [key, value] of Object.entries(summary.pass_at_k as Record<string, number>)) expect(at("pass@k", Number(key.slice(2)))).toBeCloseTo(value, 2);
    for (const [key, value] of Object.entries(run.metrics.maj_at_k as Record<string, number>)) expect(at("maj@k", Number(key.slice(2)))).toBeCloseTo(value, 2);
  });

  test("finish reasons, max_tokens hits and throughput come from samples.jsonl", () => {
    const samples = readFileSync(join(runA, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const count = (reason: string) => samples.filter((s) => s.finish_reason === reason).length;
    expect(report.finishReasons).toEqual(Object.fromEntries(["stop", "length", "error"].filter((r) => count(r) > 0).map((r) => [r, count(r)])));
    expect(report.hitMaxTokens).toBe(count("length"));
    expect(report.hitMaxTokens).toBeGreaterThan(0);
    expect(report.maxTokens).toBe(340);
    expect(report.throughput.length).toBeGreaterThan(1);
    const generated = samples.reduce((a, s) => a + s.completion_tokens, 0);
    expect(report.throughput.every((t) => t.tokensPerSec >= 0)).toBe(true);
    expect(generated).toBeGreaterThan(0);
  });

  test("the header names the task, model, backend, sampling, n, seed, versions and times", () => {
    const header = Object.fromEntries(report.header);
    expect(header.task).toMatch(/^sums, data file .*rows\.jsonl$/);
    expect(header.model).toBe("reasoner/skill-30");
    expect(header.sampling).toBe("temperature=0.6, top_p=1, max_tokens=340, n=4");
    expect(header.n).toBe("4");
    expect(header.seed).toBe("1");
    expect(header.versions).toMatch(/^skythought \S+, node v\d+/);
    expect(header.started).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(header["wall time"]).toMatch(/s$/);
  });

  test("the answers are the task family's answerKey: none for code, so no maj@k", async () => {
    const dir = upstreamCopy(runA);
    const summary = json(dir, "summary.json");
    summary.configuration.task.config.handler = "livecodebench";
    writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
    const code = runReport(await readRunFolder(dir));
    expect(code.problems.flatMap((p) => p.samples.map((s) => s.answer)).every((a) => a === null)).toBe(true);
    expect(code.curves.filter((c) => c.metric === "maj@k")).toEqual([]);
    expect(code.curves.filter((c) => c.metric === "pass@k")).toEqual(report.curves.filter((c) => c.metric === "pass@k"));
  });

  test("grader errors (run.json metrics.grader_errors) mark their samples, count in the headline and the finish-reason chart", async () => {
    const dir = upstreamCopy(runA);
    const run = json(runA, "run.json");
    run.metrics.grader_errors = { count: 1, samples: [{ row: "1", sample: 2, error: "RecursionError in mathEqual" }] };
    for (const f of ["run.json", "samples.jsonl"]) writeFileSync(join(dir, f), f === "run.json" ? JSON.stringify(run) : readFileSync(join(runA, f)));
    const r = runReport(await readRunFolder(dir));
    const flagged = r.problems.flatMap((p) => p.samples.map((s, i) => [p.id, i, s.graderError]).filter(([, , e]) => e !== null));
    expect(flagged).toEqual([["1", 2, "RecursionError in mathEqual"]]);
    expect(r.metrics.find((m) => m.label === "grader errors")?.value).toBe("1");
    const html = await buildReport([dir]);
    expect(html).toMatch(/Finish reasons and grader errors/);
  });

  test("dataset columns that group problems (MATH level and type) are found", () => {
    expect(Object.keys(report.problems[0]!.groups)).toEqual(["level", "type"]);
    expect(report.problems[4]!.groups).toEqual({ level: "5", type: "Number Theory" });
  });

  test("length bins count every response once", () => {
    const bins = lengthBins(report);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(8 * 4);
    for (const b of bins) expect(b.end - b.start).toBe(bins[0]!.end - bins[0]!.start);
  });
});

describe("folders upstream SkyThought wrote (results.json and summary.json only)", () => {
  test("still make a report, with what they lack said once", async () => {
    const dir = upstreamCopy(runA);
    const r = runReport(await readRunFolder(dir));
    expect(r.problems.flatMap((p) => p.samples.map((s) => s.correct))).toEqual(report.problems.flatMap((p) => p.samples.map((s) => s.correct)));
    expect(r.problems[0]!.samples[0]!.finish).toBeNull();
    expect(r.finishReasons).toEqual({});
    expect(r.throughput).toEqual([]);
    expect(r.header.find(([k]) => k === "note")?.[1]).toMatch(/run\.json absent/);
    const html = await buildReport([dir]);
    expect(html).toContain("Finish reasons are not recorded in this folder");
    expect(html.match(/<svg /g)?.length).toBe(4); // pass@k, lengths, level, type
  });

  test("a folder without results.json is refused by name", async () => {
    const dir = upstreamCopy(runA);
    writeFileSync(join(dir, "results.json"), "");
    await expect(readRunFolder(join(dir, "nope"))).rejects.toThrow(RunError);
    await expect(readRunFolder(join(dir, "nope"))).rejects.toThrow(/cannot make a report of .*nope: Run summary file .* does not exist/);
  });
});

describe("comparing runs", () => {
  test("flipped problems are those some run solves and another misses entirely", async () => {
    const b = runReport(await readRunFolder(runB));
    const flips = flippedProblems([report, b]);
    const solved = (dir: string) => Object.fromEntries(Object.entries(json(dir, "results.json") as Results).map(([id, r]) => [id, r.responses.filter((x) => x.correctness).length]));
    const [a, bb] = [solved(runA), solved(runB)];
    const expected = Object.keys(a).filter((id) => (a[id]! > 0) !== (bb[id]! > 0));
    expect(flips.map((f) => f.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    for (const f of flips) expect(f.correct).toEqual([a[f.id], bb[f.id]]);
  });

  test("runs of different tasks are refused", async () => {
    const other = await reasoningRun({ seed: 1, skill: 50, rows: 2 });
    const summary = json(other, "summary.json");
    summary.configuration.task.name = "aime24";
    writeFileSync(join(other, "summary.json"), JSON.stringify(summary));
    const err = await buildReport([runA, other]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/runs of different tasks cannot be compared \(.*: sums; .*: aime24\)/);
  });
});

describe("size", () => {
  test("lengthCap cuts only the longest responses, to one shared length", () => {
    expect(lengthCap([10, 20, 30], 100)).toBeNull();
    expect(lengthCap([10, 20, 30], 45)).toBe(17); // 10 + 17 + 17 = 44
    expect(lengthCap([100, 100], 50)).toBe(25);
  });

  test("a cut response keeps its beginning and end around a note", () => {
    const text = "A".repeat(50) + "B".repeat(50);
    const cut = cutMiddle(text, 20, 1_000_000);
    expect(cut.startsWith("A".repeat(10) + "\n\n[… 80 characters left out here")).toBe(true);
    expect(cut.endsWith("…]\n\n" + "B".repeat(10))).toBe(true);
  });

  test("texts are stored gzip'd; above the budget they are cut and the page says so", async () => {
    const html = await buildReport([runA], { textBudget: 2_000 });
    expect(html).toMatch(/<p class="warn">\d+ long responses are shortened in this file to \d+ characters each/);
    const texts = JSON.parse(/<script type="application\/json" id="report-texts-0">(.*?)<\/script>/s.exec(html)![1]!);
    const first = gunzipSync(Buffer.from(texts[0].responses[0], "base64")).toString("utf8");
    const results = json(runA, "results.json") as Results;
    const whole = results["0"]!.responses[0]!.content;
    expect(first.length).toBeLessThan(whole.length);
    expect(first.slice(0, 20)).toBe(whole.slice(0, 20));
    expect(first).toContain("characters left out here");
    const untouched = await buildReport([runA]);
    const all = JSON.parse(/<script type="application\/json" id="report-texts-0">(.*?)<\/script>/s.exec(untouched)![1]!);
    expect(gunzipSync(Buffer.from(all[0].responses[0], "base64")).toString("utf8")).toBe(whole);
  });
});

describe("markdown", () => {
  test("a metrics table and a pass@k table, one column per run, and the flipped problems", async () => {
    const md = await buildReport([runA, runB], { format: "md" });
    const flips = flippedProblems([report, runReport(await readRunFolder(runB))]);
    expect(md).toMatch(/^## sums: 2 runs\n/);
    expect(md).toContain("| metric | 1. reasoner_skill-30_sums_");
    expect(md).toMatch(/\| accuracy \| \d+(\.\d)?% \| \d+(\.\d)?% \|/);
    expect(md).toMatch(/\| k \| 1\. .* pass@k \/ maj@k \| 2\. .* pass@k \/ maj@k \|\n\| --- \| --- \| --- \|\n\| 1 \| /);
    expect(md).toContain(`Flipped problems (solved by some runs, by no response of another): ${flips.length}`);
  });
});
