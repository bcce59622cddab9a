import { describe, expect, test, vi } from "vitest";
import {
  GraderError,
  MATH_EQUAL_BUDGET_MS,
  arcExtractPrediction,
  finalAnswer,
  mathEqual,
  mmluProAnswer,
  multipleChoiceAnswer,
} from "../../../src/scoring/index.js";
import { Budget, BudgetExceeded } from "../../../src/scoring/math/budget.js";
import { mathHandler } from "../../../src/tasks/handlers/math.js";
import type { Row } from "../../../src/data/index.js";
import type { TaskConfig } from "../../../src/tasks/index.js";
import { CHAINS } from "./chains.js";
import { EQUATIONS } from "./equations.js";
import { GRADER_ERRORS } from "./graderErrors.js";
import { INFINITY } from "./infinity.js";
import { INTEGERS } from "./integers.js";
import { CHOICE_ABCD, CHOICE_ARC, CHOICE_PRO } from "./multipleChoice.js";
import { RELATIONS } from "./relations.js";
import { SEVERAL_ANSWERS, SEVERAL_ANSWER_RESPONSES } from "./severalAnswers.js";
import type { Case } from "./sources.js";
import { UNIT_ANSWERS } from "./units.js";
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
  "7 chains and approximations": { answers: CHAINS },
  "8 relations": { answers: RELATIONS },
  "9 units and currency": { answers: UNIT_ANSWERS },
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

describe("kind 10 multiple choice", () => {
  test("has at least 60 cases", () => {
    expect(CHOICE_ABCD.length + CHOICE_PRO.length + CHOICE_ARC.length).toBeGreaterThanOrEqual(60);
  });
  const readers: Array<[string, Case[], (response: string) => string | null]> = [
    ["GPQA/MMLU", CHOICE_ABCD, multipleChoiceAnswer],
    ["MMLU-Pro", CHOICE_PRO, mmluProAnswer],
    ["ARC", CHOICE_ARC, arcExtractPrediction],
  ];
  for (const [reader, cases, read] of readers) {
    for (const c of cases) test(`${reader} ${label(c)}`, () => expect(read(c[1]) === c[2]).toBe(expected(c)));
  }
});

describe("kind 11 errors are not verdicts", () => {
  test("has at least 60 cases", () => expect(GRADER_ERRORS.length).toBeGreaterThanOrEqual(60));
  for (const c of GRADER_ERRORS) {
    test(label(c), () => {
      const start = performance.now();
      expect(mathEqual(c[1], c[2])).toBe(expected(c));
      expect(performance.now() - start).toBeLessThan(MATH_EQUAL_BUDGET_MS + 2000);
    });
  }

  test("a failure inside the comparison is a GraderError naming both answers, not false", () => {
    const bug = new TypeError("cannot read properties of undefined");
    const spy = vi.spyOn(Budget.prototype, "check").mockImplementation(() => {
      throw bug;
    });
    try {
      expect(() => mathEqual("x^2+1", "1+x^2")).toThrow(GraderError);
      try {
        mathEqual("x^2+1", "1+x^2");
      } catch (e) {
        expect((e as GraderError).cause).toBe(bug);
        expect((e as Error).message).toContain('"x^2+1"');
        expect((e as Error).message).toContain("TypeError: cannot read properties of undefined");
      }
    } finally {
      spy.mockRestore();
    }
  });

  test("running out of the time budget is a verdict (not equal), not an error", () => {
    const spy = vi.spyOn(Budget.prototype, "check").mockImplementation(() => {
      throw new BudgetExceeded();
    });
    try {
      expect(mathEqual("x^2+1", "1+x^2")).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  test("a math handler reports a grader failure on the sample instead of a silent wrong answer", () => {
    const spy = vi.spyOn(Budget.prototype, "check").mockImplementation(() => {
      throw new RangeError("boom");
    });
    try {
      const task = { handler: "math", answer_key: "answer" } as unknown as TaskConfig;
      const score = mathHandler.score("so \\boxed{x^2+1}", { _index: "7", answer: "1+x^2" } as Row, task) as ReturnType<typeof mathHandler.score>;
      expect(score).toMatchObject({ correctness: false, graderError: expect.stringContaining("RangeError: boom") });
    } finally {
      spy.mockRestore();
    }
  });
});
