import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { finalAnswer, mathEqual } from "../../src/scoring/index.js";

// 800 real Qwen2.5-Math responses with the verdicts Qwen2.5-Math's grader published for them
// (fixtures/README.md). We must agree on at least 99%, and every disagreement must be one we
// understand: each is listed here with the reason our verdict is the right one.
type Graded = { idx: number; sample: number; gt: string; score: boolean; response: string };

const rows: Graded[] = readFileSync(new URL("fixtures/qwen25-math-cot-100x8.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Graded);

const KNOWN_DISAGREEMENTS: Record<string, string> = {
  // Qwen's grader cannot read "10{,}000" as a number, so its verdicts on problem 72 are all "wrong".
  "72/3": "9999.857142857143 is within upstream's relative tolerance 1e-4 of 10,000 (a decimal fraction is a rounded value)",
  "72/7": "10000 is 10{,}000",
};

test("agreement with Qwen2.5-Math's published verdicts on 800 responses is at least 99%", () => {
  expect(rows).toHaveLength(800);
  const disagreements = rows
    .filter((r) => mathEqual(finalAnswer(r.response), r.gt) !== r.score)
    .map((r) => `${r.idx}/${r.sample}`);
  expect(disagreements.sort()).toEqual(Object.keys(KNOWN_DISAGREEMENTS).sort());
  expect(1 - disagreements.length / rows.length).toBeGreaterThanOrEqual(0.99);
});
