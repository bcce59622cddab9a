// Kind 10: multiple choice. The letter after the last answer anchor ("The answer is (B)", "Answer:
// C", "final choice is D", \boxed{C}) wins over later stray letters and articles; with no anchor,
// upstream's last standalone letter. Bold markers are removed first, as upstream's ARC reader does.
// A case is [source, response, letter, does the reader pick that letter].
import {
  type Case,
  gymPull,
  issue11,
  lighteval,
  lmGpqa,
  lmMmluPro,
  mvStrings,
  nemoPull,
  opdvIssue,
  opencompassPull,
  simpleEvalsIssue,
  skyArc,
  skyUtil,
  tpuPull,
} from "./sources.js";

const ARTICLE_POLICY = "an anchored answer wins over a later article \"a\" (upstream reads the last standalone A-D)";

/** GPQA and MMLU (letters A-D). */
export const CHOICE_ABCD: Case[] = [
  [issue11(10), "My final choice is C, since A and B fail", "C", true],
  [issue11(10), "My final choice is C, since A and B fail", "B", false],
  [issue11(10), "The answer is (B), which is a classic result.", "B", true],
  [issue11(10), "The answer is (B), which is a classic result.", "A", false],
  [issue11(10), "The correct answer is D. Options A and C ignore friction.", "D", true],
  [issue11(10), "Answer: A\n\nB would need a larger mass.", "A", true],
  [issue11(10), "**Answer: C**", "C", true],
  [issue11(10), "The answer is **B**.", "B", true],
  [issue11(10), "The best answer is (d).", "D", true],
  [issue11(10), "So the final answer is $\\boxed{C}$, not D.", "C", true],
  [issue11(10), "\\boxed{\\text{B}} because C is too large", "B", true],
  [issue11(10), "\\boxed{(A)} rather than D", "A", true],
  [issue11(10), "I first thought the answer is A, but the final answer is C.", "C", true],
  [issue11(10), "I first thought the answer is A, but the final answer is C.", "A", false],
  [issue11(10), "The answer is C. Checking option D once more confirms it.", "C", true],
  [issue11(10), "Both A and C look plausible, but B is right.", "B", true],
  [issue11(10), "Option D", "D", true],
  [skyUtil(310), "The answer is \\boxed{C}", "C", true],
  [skyUtil(310), "\\boxed{B}. This is a good answer", "A", true, ARTICLE_POLICY],
  [skyUtil(310), "\\boxed{B}. This is a good answer", "B", false, ARTICLE_POLICY],
  [skyUtil(310), "The answer is (C). This is a standard identity.", "A", true, ARTICLE_POLICY],
  [skyUtil(310), "I pick b.", "B", true],
  [skyUtil(310), "Option B, not C", "C", true],
  [skyUtil(310), "The choice is D.", "D", true],
  [lighteval(84), "thinking about it I think the correct answer is C", "C", true],
  [lighteval(86), "Let's think step by step. It's not A because it doesn't make sense, therefore I think it's B", "B", true],
  [lighteval(87), "The answer is for sure D, it can't be A or B", "D", true],
  [lighteval(88), "The answer: D, it doesn't make sense for it to be A or B", "D", true],
  [lighteval(90), "D. it can't be A or B", "D", true],
  [mvStrings(18), "A. Because B is not valid", "A", true],
  [mvStrings(10), "The answer is A.", "A", true],
  [mvStrings(14), "Final answer is B", "B", true],
  [mvStrings(23), "Because B is valid", "B", true],
  [lmGpqa(23), "(A) is too small and (C) is too large, so the answer is (B).", "B", true],
  [lmGpqa(15), "The answer is (D).", "D", true],
  [nemoPull(1526), "We need \\boxed{\\langle H\\rangle \\ll \\Delta E}.\n\n**Answer: D**", "D", true],
  [nemoPull(1526), "We need \\boxed{\\langle H\\rangle \\ll \\Delta E}.\n\n**Answer: D**", "E", false],
  [gymPull(1844), "\\boxed{\\text{C}}", "C", true],
  [gymPull(1844), "At first \\boxed{A}, but after checking units the answer is \\boxed{C}.", "C", true],
  [gymPull(1844), "\\boxed{D: the tangent line is horizontal}", "D", true],
  [simpleEvalsIssue(33), "Answer: A might seem right.\n\nAnswer: C", "C", true],
  [opdvIssue(2), "Answer: **D**", "D", true],
  [opdvIssue(2), "Answer: **D**", "A", false],
  [opdvIssue(2), "I considered (A), but it is incorrect. Final answer: D.", "D", true],
  [opdvIssue(2), "I considered (A), but it is incorrect. Final answer: D.", "A", false],
  [tpuPull(3518), "Answer: A is tempting.\nAfter the full derivation, the answer is B.", "B", true],
  [opencompassPull(2496), "ANSWER: B\nWait, that ignores the sign.\nANSWER: D", "D", true],
];

/** MMLU-Pro (letters A-J). */
export const CHOICE_PRO: Case[] = [
  [lmMmluPro(15), "so the answer is (C).", "C", true],
  [lmMmluPro(15), "the answer is J", "J", true],
  [lmMmluPro(15), "So the answer is (C). Wait, that ignores the tax. So the answer is (H).", "H", true],
  [lmMmluPro(15), "So the answer is (C). Wait, that ignores the tax. So the answer is (H).", "C", true, "the last anchor counts (upstream and lm-eval take the first \"answer is\")"],
  [lmMmluPro(16), "Reasoning...\nAnswer: G\nmore", "G", true],
  [issue11(10), "The correct option is (F), since E double-counts.", "F", true],
  [issue11(10), "I think it is E", "E", true],
  [issue11(10), "Final answer: \\boxed{I}", "I", true],
];

/** ARC-Challenge (letters A-D, upstream's "the best answer is" reader). */
export const CHOICE_ARC: Case[] = [
  [issue11(10), "The best answer is **D**.", "D", true],
  [skyArc(79), "The best answer is *C*.", "C", true],
  [skyArc(79), "**The best answer is B.**", "B", true],
  [skyArc(12), "The best answer is C. Then the best answer is D.", "D", true],
  [skyArc(84), "I cannot tell", "A", false],
];
