import { availableParallelism } from "node:os";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LlamaModel } from "../../src/engine/index.js";
import { loadAddon } from "../../src/engine/loadAddon.js";
import { testModel } from "../fixtures/models.js";

// Thread defaults: ggml's compute threads spin at every barrier, so more threads than free cores
// is not a little slower but tens of times slower. The default is the physical cores this process
// may use, tuned down while fewer decode faster; absurd explicit values are refused.

const addon = await loadAddon("cpu", () => {});
let model: LlamaModel;

beforeAll(async () => {
  model = await LlamaModel.load(await testModel("tiny"), { gpu: "cpu" });
});

afterAll(async () => {
  await model?.close();
});

describe("the CPUs the engine counts on", () => {
  test("the affinity set (what Node's availableParallelism reads) and no more; physical cores among them", () => {
    const b = addon.bindings.cpuBudget();
    expect(b.logical).toBeGreaterThanOrEqual(1);
    expect(b.logical).toBeLessThanOrEqual(availableParallelism());
    expect(b.physical).toBeGreaterThanOrEqual(1);
    expect(b.physical).toBeLessThanOrEqual(b.logical);
    expect(b.source).toMatch(/affinity \d|hardware_concurrency/);
  });

  test("by default an engine uses the physical cores and adapts; a given count is used as given", async () => {
    const auto = await model.createEngine({ nCtx: 512, maxSequences: 2 });
    expect(auto.info).toMatchObject({ threads: addon.bindings.cpuBudget().physical, threadsAdaptive: true });
    await auto.close();
    const fixed = await model.createEngine({ nCtx: 512, maxSequences: 2, threads: 1 });
    expect(fixed.info).toMatchObject({ threads: 1, threadsAdaptive: false });
    await fixed.close();
  });

  test("more threads than the CPUs the process may use are refused, with the count and the fix", async () => {
    const { logical } = addon.bindings.cpuBudget();
    await expect(model.createEngine({ nCtx: 512, maxSequences: 2, threads: 999 })).rejects.toThrow(
      new RegExp(`threads=999 is more than the ${logical} CPUs this process may use \\(affinity .*\\); .*use threads=${logical} or fewer, or leave it unset`),
    );
  });
});

describe("the thread tuner, on given step costs", () => {
  const run = (nMax: number, nStart: number, msPerToken: number[], steps: number) => [...addon.bindings.tuneThreads(nMax, nStart, msPerToken, 16, steps)];
  const share = (counts: number[], n: number) => counts.filter((c) => c === n).length / counts.length;
  const time = (counts: number[], msPerToken: number[]) => counts.reduce((t, n) => t + msPerToken[n]! * 16, 0);

  test("two threads 50 times slower than one (a busy neighbour): one thread within a few steps, and trying two costs little", () => {
    const cost = [0, 2, 100];
    const counts = run(2, 2, cost, 20_000);
    // One slow step, then one thread until a rare single-step try of two.
    expect(counts.slice(0, 2)).toEqual([2, 1]);
    expect(counts.slice(1, 1000).every((n) => n === 1)).toBe(true);
    expect(share(counts, 2)).toBeLessThan(0.002);
    // Against one thread throughout: at most 10% slower over the run (about 10 minutes of decoding).
    expect(time(counts, cost) / time(counts.map(() => 1), cost)).toBeLessThan(1.1);
  });

  test("two threads faster (an idle machine): it stays at two, and a start at one moves up", () => {
    const cost = [0, 2, 1.1];
    expect(share(run(2, 2, cost, 5000), 2)).toBeGreaterThan(0.95);
    const fromOne = run(2, 1, cost, 5000);
    expect(share(fromOne, 2)).toBeGreaterThan(0.8);
    expect(fromOne.at(-1)).toBe(2);
  });

  test("many cores: it walks down to the count that is fastest, not past it", () => {
    const cost = [0, 8, 4.2, 3, 2.4, 2.1, 3, 6, 12]; // best at 5 of 8 (others hold 3 cores)
    const counts = run(8, 8, cost, 20_000);
    expect(counts.at(-1)).toBe(5);
    expect(share(counts, 5)).toBeGreaterThan(0.9);
  });
});
