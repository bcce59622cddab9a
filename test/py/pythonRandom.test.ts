import { describe, expect, it } from "vitest";
import { createPythonRandom } from "../../src/py/index.js";

// Expected values printed by CPython 3.11: `random.seed(s)` then the same calls.
describe("createPythonRandom", () => {
  it("matches CPython's getrandbits(32) after seed(41)", () => {
    const r = createPythonRandom(41);
    expect([r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)]).toEqual([1636471393, 1426894585, 990931328]);
  });

  it("gives the spec's GPQA letters for the first six shuffles with seed 41", () => {
    const r = createPythonRandom(41);
    const letters: string[] = [];
    for (let i = 0; i < 6; i++) {
      const options = ["correct", "wrong1", "wrong2", "wrong3"];
      r.shuffle(options);
      letters.push("ABCD"[options.indexOf("correct")]!);
    }
    expect(letters).toEqual(["B", "A", "B", "B", "C", "C"]);
  });

  it("seeds with every 32-bit word of a large seed", () => {
    const r = createPythonRandom(2n ** 40n + 7n);
    expect(r.random()).toBe(0.6137037779936511);
    expect(r.randbelow(1000)).toBe(834);
  });

  it("seeds zero as the key [0]", () => {
    expect(createPythonRandom(0).getrandbits(32)).toBe(3626764237);
  });

  it("rejects a non-integer seed", () => {
    expect(() => createPythonRandom(1.5)).toThrow(/integer/);
  });
});
