import { lastCodeBlock, runUntilFailure, type TestOutcome } from "../../../scoring/index.js";
import type { Score } from "../../types.js";

export const NO_CODE = "Does not contain code component.";
export const INCORRECT_CODE = "Code is incorrect.";

/**
 * Upstream's update_results for every code task: the last fenced block is the solution, and it is
 * correct only if every test passes (tests run in order and stop at the first failure).
 */
export async function scoreCode(
  response: string,
  makeTests: (code: string) => (() => Promise<TestOutcome>)[],
): Promise<Score> {
  const code = lastCodeBlock(response);
  if (code === null) return { correctness: false, reason: NO_CODE };
  const cases = makeTests(code);
  const { passed, outcomes } = await runUntilFailure(cases);
  const tests = { results: outcomes, total: cases.length };
  return passed ? { correctness: true, reason: "", tests } : { correctness: false, reason: INCORRECT_CODE, tests };
}
