import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import type { Backend } from "../../src/backends/index.js";
import { ConfigError, RunError, TaskError } from "../../src/errors.js";
import { metricsTable } from "../../src/cli/metricsTable.js";
import { evaluate, generate, score } from "../../src/pipeline/index.js";
import { Budget } from "../../src/scoring/math/budget.js";
import { FakeBackend } from "./fakeBackend.js";
import { makeWorkspace, type Workspace } from "./fixtures.js";

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const lines = (dir: string) => read(dir, "samples.jsonl").trim().split("\n");

function base(ws: Workspace, backend: Backend = new FakeBackend()) {
  return {
    task: "tiny_math",
    tasksDir: ws.tasksDir,
    dataFile: ws.dataFile,
    model: "fake/model-7b",
    backend,
    samplingParams: "temperature=0.6,max_tokens=100",
    n: 2,
    resultDir: ws.resultDir,
  };
}

describe("evaluate", () => {
  test("n=2 writes results.json, summary.json, samples.jsonl, run.json and report.html", async () => {
    const ws = makeWorkspace();
    const backend = new FakeBackend();
    const events: string[] = [];
    const out = await evaluate({ ...base(ws, backend), onEvent: (e) => events.push(e.type) });
    expect(readdirSync(ws.resultDir)).toEqual([out.runDir.split("/").pop()]);
    expect(out.runDir).toMatch(/fake_model-7b_tiny_math_[0-9a-f]{6}$/);
    expect(readdirSync(out.runDir).sort()).toEqual(["report.html", "results.json", "run.json", "samples.jsonl", "summary.json"]);
    expect(out.report).toBe(join(out.runDir, "report.html"));

    const summary = JSON.parse(read(out.runDir, "summary.json"));
    expect(Object.keys(summary)).toEqual([
      "configuration", "total_completion_tokens", "avg_completion_tokens", "total_prompt_tokens", "avg_prompt_tokens", "accuracy", "pass_at_k",
    ]);
    expect(summary.configuration.sampling_params).toEqual({ temperature: 0.6, top_p: 1, max_tokens: 100, n: 2 });
    expect(read(out.runDir, "summary.json")).toContain('"temperature": 0.6');
    expect(Object.keys(summary.pass_at_k)).toEqual(["k=2", "k=1"]);

    const results = JSON.parse(read(out.runDir, "results.json"));
    expect(Object.keys(results)).toEqual(["0", "1", "2", "3", "4"]);
    const r0 = results["0"];
    expect(Object.keys(r0)).toEqual(["problem", "answer", "level", "note", "_index", "prompt", "input_conversation", "responses", "token_usages"]);
    expect(r0.prompt).toBe("Return your final response within \\boxed{}. What is 0+0?");
    expect(r0.responses).toHaveLength(2);
    expect(r0.responses[0].content.startsWith("Thinking")).toBe(true); // stripped
    expect(read(out.runDir, "results.json")).toContain('"note": "é"'); // no ASCII escaping in results
    expect(read(out.runDir, "summary.json")).not.toContain("é");

    // The fake backend answers right unless (request seed + sample) % 3 == 0: grading must agree.
    const truth = backend.requests.flat().map((r) => [r.id, [0, 1].map((i) => ((r.sampling.seed ?? 0) + i) % 3 !== 0)] as const);
    expect(truth).toHaveLength(5);
    for (const [id, right] of truth) expect(results[id].responses.map((x: any) => x.correctness)).toEqual(right);
    expect(summary.accuracy).toBe(0.6);
    expect(lines(out.runDir)).toHaveLength(10);
    expect(backend.closed).toBe(false); // an injected backend belongs to the caller
    expect(events).toContain("progress");
    expect(events).toContain("scoring");

    const run = JSON.parse(read(out.runDir, "run.json"));
    expect(run.status).toBe("finished");
    expect(run.seed).toBe(41);
    expect(run.metrics.finish_reasons).toEqual({ stop: 5, length: 5, context: 0, abort: 0, error: 0 });
    expect(Object.keys(run.metrics.maj_at_k)).toEqual(["k=2", "k=1"]);
  });

  test("a float answer in the data (AMC's 27.0) is written back as 27.0 and graded as 27", async () => {
    const ws = makeWorkspace();
    writeFileSync(ws.dataFile, ['{"problem": "What is 9+18?", "answer": 27.0, "weight": 1e-05}', '{"problem": "What is 1+2?", "answer": 3, "weight": 2.5}'].join("\n") + "\n");
    const out = await evaluate(base(ws));
    const results = read(out.runDir, "results.json");
    expect(results).toContain('"answer": 27.0,');
    expect(results).toContain('"weight": 1e-05,');
    expect(results).toContain('"answer": 3,');
    // FakeBackend answers 27 right for sample 0 or 1 of this request; a "27.0" gold must accept it.
    expect(JSON.parse(results)["0"].responses.some((r: { correctness: boolean }) => r.correctness)).toBe(true);
    // score reads results.json back (27.0 as a PyFloat) and must grade it the same way.
    const summary = read(out.runDir, "summary.json");
    await score({ runDir: out.runDir, task: "tiny_math", tasksDir: ws.tasksDir });
    expect(read(out.runDir, "results.json")).toBe(results);
    expect(read(out.runDir, "summary.json")).toBe(summary);
  });

  test("a second run on a folder that a run is writing is refused; the folder is free afterwards", async () => {
    const ws = makeWorkspace();
    // The first run waits inside generate() until the second has been refused.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const fake = new FakeBackend();
    let generating!: () => void;
    const started = new Promise<void>((r) => (generating = r));
    const gated: Backend = {
      async *generate(requests, opts) {
        generating();
        await gate;
        yield* fake.generate(requests, opts);
      },
      close: () => fake.close(),
    };
    const first = evaluate(base(ws, gated));
    await started;
    await expect(evaluate(base(ws))).rejects.toThrow(/is already being written by another run in this process; wait for it to finish/);
    open();
    const out = await first;
    expect(readdirSync(out.runDir).sort()).toEqual(["report.html", "results.json", "run.json", "samples.jsonl", "summary.json"]);
    await score({ runDir: out.runDir, task: "tiny_math", tasksDir: ws.tasksDir });
    await expect(evaluate({ ...base(ws), task: "nope" })).rejects.toThrow(TaskError);
    expect((await evaluate(base(ws))).generatedSamples).toBe(0);
  });

  test("rerunning a finished run generates nothing and rewrites identical files", async () => {
    const ws = makeWorkspace();
    const first = await evaluate(base(ws));
    const before = [read(first.runDir, "results.json"), read(first.runDir, "summary.json")];
    const backend = new FakeBackend();
    const again = await evaluate(base(ws, backend));
    expect(again.generatedSamples).toBe(0);
    expect(backend.requests).toHaveLength(0);
    expect([read(again.runDir, "results.json"), read(again.runDir, "summary.json")]).toEqual(before);
    const run = JSON.parse(read(again.runDir, "run.json"));
    expect(run.sessions).toHaveLength(2);
    expect(run.backend.info).toEqual({ engine: "fake", version: 1 }); // kept from the session that generated
  });

  test("a crash halfway resumes to the same files as an uninterrupted run, asking only for what is missing", async () => {
    const ws = makeWorkspace(6);
    const clean = await evaluate({ ...base(ws), resultDir: join(ws.dir, "clean") });

    await expect(evaluate(base(ws, new FakeBackend({ failAfter: 5 })))).rejects.toThrow(/fake backend crashed/);
    const runDir = join(ws.resultDir, clean.runDir.split("/").pop()!);
    expect(lines(runDir)).toHaveLength(5);
    // A kill during a write leaves a torn last line: it must be dropped, not fatal.
    appendFileSync(join(runDir, "samples.jsonl"), '{"id": "3", "sam');

    const backend = new FakeBackend();
    const resumed = await evaluate(base(ws, backend));
    expect(resumed.generatedSamples).toBe(7);
    // Problem 3 lost only sample 0 (completions arrive in reverse); it is asked for that alone.
    expect(backend.requests[0]!.map((r) => [r.id, r.samples])).toEqual([["0", undefined], ["1", undefined], ["2", undefined], ["3", [0]]]);
    expect(lines(runDir)).toHaveLength(12);
    expect(read(runDir, "results.json")).toBe(read(clean.runDir, "results.json"));
    expect(read(runDir, "summary.json")).toBe(read(clean.runDir, "summary.json"));
  });

  test("--overwrite starts afresh", async () => {
    const ws = makeWorkspace();
    await evaluate(base(ws));
    const backend = new FakeBackend();
    const out = await evaluate({ ...base(ws, backend), overwrite: true });
    expect(out.generatedSamples).toBe(10);
    expect(lines(out.runDir)).toHaveLength(10);
  });

  test("errored samples are not answers: nothing is scored or written, run.json says why, and a rerun retries only them", async () => {
    const ws = makeWorkspace(3);
    const run = evaluate(base(ws, new FakeBackend({ errorSample: { id: "1", sample: 0 } })));
    await expect(run).rejects.toThrow(RunError);
    await expect(run).rejects.toThrow(
      /^1 of 6 samples ended in an error, so nothing was scored and results\.json and summary\.json were not written \(errored samples are not answers\):\n {2}1 × prompt too long \(row 1\)\nFix the cause and rerun the same command: .*pass --allow-errored-samples$/s,
    );
    const dir = join(ws.resultDir, readdirSync(ws.resultDir)[0]!);
    expect(readdirSync(dir).sort()).toEqual(["run.json", "samples.jsonl"]);
    const record = JSON.parse(read(dir, "run.json"));
    expect(record.status).toBe("incomplete");
    expect(record.sessions[0].errored_samples).toEqual({
      count: 1, total: 6, by_message: [{ message: "prompt too long", count: 1, rows: ["1"] }], kept_as_empty_responses: false,
    });
    const backend = new FakeBackend();
    const again = await evaluate(base(ws, backend));
    expect(again.generatedSamples).toBe(1);
    expect(backend.requests[0]!.map((r) => r.id)).toEqual(["1"]);
    expect(JSON.parse(read(dir, "run.json")).status).toBe("finished");
  });

  test("allowErroredSamples scores them as wrong answers, says so grouped by message, and records it", async () => {
    const ws = makeWorkspace(3);
    const warnings: string[] = [];
    const out = await evaluate({
      ...base(ws, new FakeBackend({ errorSample: { id: "1", sample: 0 } })),
      allowErroredSamples: true,
      onEvent: (e) => e.type === "warning" && warnings.push(e.message),
    });
    expect(warnings.at(-1)).toEqual(expect.stringMatching(/^1 of 6 samples ended in an error; they are scored as wrong \(empty\) answers, as --allow-errored-samples asks, and retried on the next run:\n {2}1 × prompt too long \(row 1\)$/));
    expect(JSON.parse(read(out.runDir, "results.json"))["1"].responses[0]).toEqual({ content: "", correctness: false, reason: "Solution is incorrect." });
    const record = JSON.parse(read(out.runDir, "run.json"));
    expect(record.status).toBe("finished");
    expect(record.sessions[0].errored_samples.kept_as_empty_responses).toBe(true);
  });

  test("a grader failure is counted per sample in run.json, warned about and shown in the table, never a silent wrong answer", async () => {
    const ws = makeWorkspace();
    const warnings: string[] = [];
    // A bug inside the comparison, injected: right answers are equal as written and never reach it.
    const spy = vi.spyOn(Budget.prototype, "check").mockImplementation(() => {
      throw new TypeError("injected grader bug");
    });
    try {
      const out = await evaluate({ ...base(ws), onEvent: (e) => e.type === "warning" && warnings.push(e.message) });
      const run = JSON.parse(read(out.runDir, "run.json"));
      const results = JSON.parse(read(out.runDir, "results.json"));
      const wrong = Object.values(results).flatMap((r: any) => r.responses.map((x: any, i: number) => [r._index, i, x.correctness] as const)).filter(([, , ok]) => !ok);
      expect(wrong.length).toBeGreaterThan(0);
      expect(run.metrics.grader_errors.count).toBe(wrong.length);
      expect(run.metrics.grader_errors.samples.map((x: any) => [x.row, x.sample])).toEqual(wrong.map(([row, i]) => [row, i]));
      expect(run.metrics.grader_errors.samples[0].error).toContain("TypeError: injected grader bug");
      expect(warnings.join("\n")).toContain(`the grader failed on ${wrong.length} sample(s) (row ${wrong[0]![0]} sample ${wrong[0]![1]}`);
      expect(metricsTable(out)).toMatch(new RegExp(`grader errors +${wrong.length} \\(row ${wrong[0]![0]} sample ${wrong[0]![1]}`));
    } finally {
      spy.mockRestore();
    }
  });

  test("a run whose grader never fails reports zero grader errors", async () => {
    const ws = makeWorkspace();
    const out = await evaluate(base(ws));
    expect(JSON.parse(read(out.runDir, "run.json")).metrics.grader_errors).toEqual({ count: 0, samples: [] });
    expect(metricsTable(out)).not.toContain("grader errors");
  });

  test("an aborted run rejects and keeps its finished samples", async () => {
    const ws = makeWorkspace();
    const controller = new AbortController();
    let seen = 0;
    const run = evaluate({
      ...base(ws),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "progress" && ++seen === 3) controller.abort(new Error("stop"));
      },
    });
    await expect(run).rejects.toThrow("stop");
    const dir = join(ws.resultDir, readdirSync(ws.resultDir)[0]!);
    expect(lines(dir).length).toBeGreaterThanOrEqual(2);
    const record = JSON.parse(read(dir, "run.json"));
    expect(record.status).toBe("aborted");
    expect(record.sessions[0].error).toBe("stop");
  });
});

test("the library prints nothing: no console, no stdout/stderr writes", async () => {
  const ws = makeWorkspace(3);
  const spies = [
    ...(["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m)),
    vi.spyOn(process.stdout, "write"),
    vi.spyOn(process.stderr, "write"),
  ];
  try {
    const out = await evaluate(base(ws));
    await score({ runDir: out.runDir, task: "tiny_math", tasksDir: ws.tasksDir });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
});

describe("generate and score", () => {
  test("generate then score equals evaluate", async () => {
    const ws = makeWorkspace();
    const ev = await evaluate({ ...base(ws), resultDir: join(ws.dir, "ev") });
    const gen = await generate({ ...base(ws), resultDir: join(ws.dir, "gen") });
    expect(gen.runDir.split("/").pop()).toBe(ev.runDir.split("/").pop());
    const genSummary = JSON.parse(read(gen.runDir, "summary.json"));
    expect(genSummary.accuracy).toBe(0);
    expect(read(gen.runDir, "summary.json")).toContain('"accuracy": 0.0');
    expect(genSummary.pass_at_k).toBeNull();
    expect(JSON.parse(read(gen.runDir, "results.json"))["0"].responses[0].correctness).toBeNull();

    await score({ runDir: gen.runDir, task: "tiny_math", tasksDir: ws.tasksDir });
    expect(read(gen.runDir, "results.json")).toBe(read(ev.runDir, "results.json"));
    expect(read(gen.runDir, "summary.json")).toBe(read(ev.runDir, "summary.json"));
  });

  test("score --ids rescoring keeps files identical; an unknown id is an error", async () => {
    const ws = makeWorkspace();
    const ev = await evaluate(base(ws));
    const before = read(ev.runDir, "summary.json");
    await score({ runDir: ev.runDir, task: "tiny_math", tasksDir: ws.tasksDir, ids: "1, 3,1" });
    expect(read(ev.runDir, "summary.json")).toBe(before);
    await expect(score({ runDir: ev.runDir, task: "tiny_math", tasksDir: ws.tasksDir, ids: "99" })).rejects.toThrow(/99 is not a key/);
  });

  test("score of a missing folder or summary says so", async () => {
    const ws = makeWorkspace();
    await expect(score({ runDir: join(ws.dir, "nope"), task: "tiny_math", tasksDir: ws.tasksDir })).rejects.toThrow(/Run directory .* does not exist/);
    await expect(score({ runDir: ws.dir, task: "tiny_math", tasksDir: ws.tasksDir })).rejects.toThrow(/Run summary file .* does not exist/);
  });

  test("generate --resume-from with another config is refused, naming the difference", async () => {
    const ws = makeWorkspace();
    const gen = await generate({ ...base(ws), resultDir: ws.resultDir });
    const other = { ...base(ws), resultDir: undefined, resumeFrom: gen.runDir, samplingParams: "temperature=0.7,max_tokens=100" };
    await expect(generate(other)).rejects.toThrow(RunError);
    await expect(generate(other)).rejects.toThrow(/sampling_params\.temperature: 0\.6 -> 0\.7.*--overwrite/);
  });

  test("generate --resume-from a folder upstream wrote: its results.json records are kept, the rest generated", async () => {
    const ws = makeWorkspace(5);
    const first = await generate({ ...base(ws), end: 3 });
    const upstreamDir = join(ws.dir, "upstream-run");
    mkdirSync(upstreamDir);
    writeFileSync(join(upstreamDir, "results.json"), read(first.runDir, "results.json")); // no run.json, no samples.jsonl
    const backend = new FakeBackend();
    await generate({ ...base(ws, backend), resultDir: undefined, resumeFrom: upstreamDir });
    expect(backend.requests[0]!.map((r) => r.id)).toEqual(["3", "4"]);
    const results = JSON.parse(read(upstreamDir, "results.json"));
    expect(Object.keys(results)).toEqual(["0", "1", "2", "3", "4"]);
    expect(results["1"]).toEqual(JSON.parse(read(first.runDir, "results.json"))["1"]);
    expect(lines(upstreamDir)).toHaveLength(4);

    const again = new FakeBackend();
    await generate({ ...base(ws, again), resultDir: undefined, resumeFrom: upstreamDir });
    expect(again.requests).toHaveLength(0);
    expect(JSON.parse(read(upstreamDir, "results.json"))).toEqual(results);
  });

  test("generate --start/--end slices rows and keeps _index", async () => {
    const ws = makeWorkspace(6);
    const gen = await generate({ ...base(ws), start: 2, end: 4 });
    expect(Object.keys(JSON.parse(read(gen.runDir, "results.json")))).toEqual(["2", "3"]);
  });

  test("generate needs exactly one of resultDir and resumeFrom", async () => {
    const ws = makeWorkspace();
    await expect(generate({ ...base(ws), resultDir: undefined })).rejects.toThrow(/exactly one of --result-dir/);
  });
});

describe("bad input", () => {
  test("an unknown option names it and lists the valid ones", async () => {
    const ws = makeWorkspace();
    await expect(evaluate({ ...base(ws), temperature: 1 } as never)).rejects.toThrow(ConfigError);
    await expect(evaluate({ ...base(ws), temperature: 1 } as never)).rejects.toThrow(/unknown option temperature; valid options are .*samplingParams/);
  });

  test("an unknown task lists the known ones", async () => {
    const ws = makeWorkspace();
    await expect(evaluate({ ...base(ws), task: "nosuch" })).rejects.toThrow(TaskError);
    await expect(evaluate({ ...base(ws), task: "nosuch" })).rejects.toThrow(/tiny_math/);
  });

  test("a bad sampling key is refused before anything runs", async () => {
    const ws = makeWorkspace();
    const backend = new FakeBackend();
    await expect(evaluate({ ...base(ws, backend), samplingParams: "temp=1" })).rejects.toThrow(/unknown key "temp"/);
    expect(backend.requests).toHaveLength(0);
  });

  test("an unwritable result dir is a RunError", async () => {
    const ws = makeWorkspace();
    writeFileSync(join(ws.dir, "file"), "x");
    await expect(evaluate({ ...base(ws), resultDir: join(ws.dir, "file") })).rejects.toThrow(RunError);
  });
});
