import { describe, expect, test } from "vitest";
import { mathEqual } from "../../src/scoring/index.js";
import {
  type Case,
  HENDRYCKS_MINERVA,
  MATH_VERIFY,
  MORE_FORMS,
  OUR_FIXES,
  PRM800K,
  QWEN_GRADER,
  RELATIONS_AND_PUNCTUATION,
  UPSTREAM_BEHAVIOUR,
} from "./mathEqualCases.js";

const groups: Record<string, Case[]> = {
  "Qwen2.5-Math grader": QWEN_GRADER,
  "Math-Verify": MATH_VERIFY,
  "Hendrycks / minerva normalisation": HENDRYCKS_MINERVA,
  "PRM800K grader rules": PRM800K,
  "upstream SkyThought behaviour": UPSTREAM_BEHAVIOUR,
  "our fixes of upstream bugs": OUR_FIXES,
  "more answer forms": MORE_FORMS,
  "relations and punctuation": RELATIONS_AND_PUNCTUATION,
};

for (const [name, cases] of Object.entries(groups)) {
  describe(name, () => {
    test.each(cases)("mathEqual(%j, %j) is %s", (pred, gold, expected) => {
      expect(mathEqual(pred, gold)).toBe(expected);
    });
  });
}
