import { describe, expect, test } from "vitest";
import { numpyMean, numpySum, PyFloat, pyRound } from "../../src/py/index.js";
import { accuracy, majAtK, passAtK, passAtKValues, tokenStats } from "../../src/runs/metrics.js";

const floats = (o: Record<string, PyFloat> | null) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.value])) : o);

describe("pass@k as upstream", () => {
  test("k values", () => {
    expect(passAtKValues(8)).toEqual([8, 4, 2, 1]);
    expect(passAtKValues(5)).toEqual([5, 4, 2, 1]);
    expect(passAtKValues(6)).toEqual([6, 4, 2, 1]);
    expect(passAtKValues(3)).toEqual([3, 2, 1]);
  });

  test("spec 8.4 example: N=4, correct counts {1, 4, 0}", () => {
    const t = [[1, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]];
    expect(floats(passAtK(4, t))).toEqual({ "k=4": 66.667, "k=2": 50.0, "k=1": 41.667 });
  });

  test("30 problems x 6 samples equals numpy's digits", () => {
    const t = [[0,0,0,0,0,0],[1,0,0,0,0,1],[0,1,0,0,1,1],[1,0,0,1,0,1],[0,1,1,0,1,1],[0,0,1,0,0,0],[1,0,0,0,0,1],[1,1,1,1,1,0],[1,0,1,1,0,0],[1,0,0,1,0,1],[0,0,1,0,1,0],[1,1,1,0,1,0],[0,0,1,1,0,0],[1,0,0,0,1,0],[1,1,0,0,1,0],[0,1,1,1,1,1],[0,0,1,1,0,0],[0,1,0,0,0,0],[1,0,1,0,0,1],[0,0,0,0,1,0],[1,0,1,0,0,0],[0,0,0,0,0,1],[0,1,0,0,0,0],[0,1,1,1,0,0],[1,0,0,0,0,0],[1,0,1,0,0,0],[1,0,0,0,1,0],[1,0,0,0,0,0],[1,0,0,0,1,0],[0,0,0,0,0,0]];
    expect(floats(passAtK(6, t))).toEqual({ "k=6": 93.333, "k=4": 83.333, "k=2": 59.333, "k=1": 36.667 });
  });

  test("null for one sample", () => {
    expect(passAtK(1, [[1]])).toBeNull();
  });
});

describe("Python and numpy arithmetic", () => {
  test("round ties to even on the exact binary value", () => {
    expect([pyRound(7 / 30, 4), pyRound(2675 / 4000, 4), pyRound(0.125, 2), pyRound(2.675, 2), pyRound(1 / 3, 3), pyRound(0.5, 0), pyRound(2.5, 0), pyRound(-0.125, 2), pyRound(11960.049999, 3)])
      .toEqual([0.2333, 0.6687, 0.12, 2.67, 0.333, 0, 2, -0.12, 11960.05]);
  });

  test("pairwise summation equals numpy's sum and mean", () => {
    const a = Array.from({ length: 1000 }, (_, i) => (1 / (i + 1)) * (-1) ** i * 1e3 ** (i % 3));
    expect(numpySum(a)).toBe(231175.5933609929);
    expect(numpyMean(a.slice(0, 37))).toBe(5875.07746788323);
  });

  test("accuracy is a 4-digit fraction, int 0 without responses", () => {
    expect(accuracy([[1, 0, 1], [0, 0, 0]])).toEqual(new PyFloat(0.3333));
    expect(accuracy([])).toBe(0);
  });
});

describe("our extra metrics", () => {
  test("maj@k takes the most common answer among the first k samples", () => {
    const s = (answer: string | null, correct: boolean) => ({ answer, correct });
    const problems = [
      [s("5", true), s("4", false), s("4", false), s("5", true)],
      [s(null, false), s("7", true), s("8", false), s("7", true)],
    ];
    expect(majAtK(4, problems)).toEqual({ "k=4": 100, "k=2": 100, "k=1": 50 });
  });

  test("token stats: mean and median", () => {
    expect(tokenStats([5, 1, 3, 10])).toEqual({ mean: 4.75, median: 4, total: 19, count: 4 });
  });
});
