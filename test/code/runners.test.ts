import { afterAll, describe, expect, test } from "vitest";
import {
  SandboxPool,
  closeSharedPool,
  lastCodeBlock,
  lcbPostProcess,
  runStdioTest,
  runUntilFailure,
  type TestOutcome,
} from "../../src/scoring/code/index.js";
import { NO_NUMPY, hasNumpy } from "./pythonEnv.js";

afterAll(() => closeSharedPool());

describe.skipIf(!hasNumpy)(`APPS and TACO output comparison${hasNumpy ? "" : ` (${NO_NUMPY})`}`, () => {
  // Expected values come from running upstream's own comparison functions on the same pairs.
  const cases: [string, string, boolean, boolean][] = [
    ["3 1 2\n", "1 2 3\n", true, false],
    ["a b\n", "a\nb\n", false, true],
    ["1.5 2\n", "2\n1.5\n", false, false],
    ["0.3333333\n", "0.33333334\n", true, false],
    ["1\n\n2\n", "1\n2\n", true, true],
    ["12 3\n", "3\n12\n", false, false],
    ["1 2 4\n", "1 2 3\n", false, false],
    ["1.0001\n", "1.0\n", true, false],
    ["  5  \r\n", "5", true, true],
  ];
  test.each(cases)("stdout %j vs expected %j: apps %s, taco %s", async (stdout, expected, apps, taco) => {
    const program = `import sys\nsys.stdout.write(${JSON.stringify(stdout)})`;
    const opts = { timeoutMs: 10_000 };
    expect((await runStdioTest(program, { input: "", expected }, "apps", opts)).passed).toBe(apps);
    expect((await runStdioTest(program, { input: "", expected }, "taco", opts)).passed).toBe(taco);
  });
});

describe("runUntilFailure", () => {
  const pool = new SandboxPool({ size: 2 });
  const outcome = (passed: boolean): TestOutcome => ({ passed, status: "ok", detail: "" });

  test("stops starting tests after the first failure", async () => {
    const started: number[] = [];
    const tests = Array.from({ length: 10 }, (_, i) => async () => {
      started.push(i);
      await new Promise((r) => setTimeout(r, 5));
      return outcome(i !== 2);
    });
    const result = await runUntilFailure(tests, pool);
    expect(result.passed).toBe(false);
    expect(Math.max(...started)).toBeLessThanOrEqual(3);
  });

  test("all passing is correct; no tests at all is not", async () => {
    expect((await runUntilFailure([async () => outcome(true), async () => outcome(true)], pool)).passed).toBe(true);
    expect((await runUntilFailure([], pool)).passed).toBe(false);
  });
});

describe("code extraction", () => {
  test("the last ```lang block wins; an info string with digits or a space does not open a block", () => {
    expect(lastCodeBlock("a\n```python\nx = 1\n```\nb\n```\ny = 2\n```")).toBe("y = 2\n");
    expect(lastCodeBlock("no code here")).toBeNull();
    expect(lastCodeBlock("```python3\nx = 1\n```")).toBeNull();
  });

  test("LiveCodeBench post-processing", () => {
    expect(lcbPostProcess("<code>print(1)</code> trailing")).toBe("print(1)");
    expect(lcbPostProcess("x = 1\n```\nmore")).toBe("x = 1\n");
  });
});
