import { describe, expect, test } from "vitest";
import { finalAnswer, mathEqual } from "../../../src/scoring/index.js";
import { EQUATIONS } from "./equations.js";
import { INFINITY } from "./infinity.js";
import { INTEGERS } from "./integers.js";
import { SEVERAL_ANSWERS, SEVERAL_ANSWER_RESPONSES } from "./severalAnswers.js";
import type { Case } from "./sources.js";
import { WHICH_ANSWER } from "./whichAnswer.js";
import { WRAPPER_ANSWERS, WRAPPER_RESPONSES } from "./wrappers.js";

// The grading corpus of issue 11: cases from the public test suites and bug reports of trusted
// graders, one file per kind. Each case keeps its source's verdict; where our deliberate policy
// differs (docs/differences-scoring.md, policy table), the case says why and we expect the opposite.
type Kind = { answers?: Case[]; responses?: Case[] };

const KINDS: Record<string, Kind> = {
  "1 equations with spaced variables": { answers: EQUATIONS },
  "2 +\\infty endpoints": { answers: INFINITY },
  "3 exact integers": { answers: INTEGERS },
  "4 formatting wrappers": { answers: WRAPPER_ANSWERS, responses: WRAPPER_RESPONSES },
  "5 several answers": { answers: SEVERAL_ANSWERS, responses: SEVERAL_ANSWER_RESPONSES },
  "6 which answer counts": { responses: WHICH_ANSWER },
};

const expected = ([, , , verdict, policy]: Case) => (policy === undefined ? verdict : !verdict);
const label = ([source, pred, gold, verdict, policy]: Case) =>
  `${JSON.stringify(pred.length > 90 ? `${pred.slice(0, 90)}...` : pred)} vs ${JSON.stringify(gold)}: ${verdict}${policy ? ` (ours ${!verdict}: ${policy})` : ""} [${source}]`;

for (const [name, kind] of Object.entries(KINDS)) {
  describe(`kind ${name}`, () => {
    test("has at least 60 cases", () => {
      expect((kind.answers?.length ?? 0) + (kind.responses?.length ?? 0)).toBeGreaterThanOrEqual(60);
    });
    for (const c of kind.answers ?? []) {
      test(label(c), () => expect(mathEqual(c[1], c[2])).toBe(expected(c)));
    }
    for (const c of kind.responses ?? []) {
      test(`response ${label(c)}`, () => expect(mathEqual(finalAnswer(c[1]), c[2])).toBe(expected(c)));
    }
  });
}
