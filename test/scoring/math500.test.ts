import { existsSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { extractAnswer, mathEqual } from "../../src/scoring/index.js";

// Real data: every MATH-500 reference solution ends in a \boxed answer that must grade as equal to
// the row's reference answer, and must not equal a different row's answer.
const FILE = "/work/shared/data/math500/test.jsonl";
const present = existsSync(FILE);

test.skipIf(!present)("MATH-500 reference solutions grade as correct against their answers", () => {
  const rows = readFileSync(FILE, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { solution: string; answer: string });
  expect(rows).toHaveLength(500);
  const misses = rows.filter((r) => !mathEqual(extractAnswer(r.solution), r.answer)).map((r) => r.answer);
  expect(misses).toEqual([]);
  const confusions = rows.filter((r, i) => {
    const other = rows[(i + 1) % rows.length]!.answer;
    return other !== r.answer && mathEqual(extractAnswer(r.solution), other);
  });
  // Known: "5" = "x=5", and upstream's percent rule makes 200 equal 2 (x100).
  expect(confusions.length).toBeLessThanOrEqual(2);
});
