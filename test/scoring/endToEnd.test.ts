import { expect, test } from "vitest";
import { extractAnswer, mathEqual } from "../../src/scoring/index.js";

// Whole responses graded against a reference: extractAnswer then mathEqual, the way the math
// handlers score. Responses are shortened from Math-Verify's tests/test_all.py regression cases.
const CASES: Array<[response: string, gold: string, expected: boolean]> = [
  ["Since $x<2$, it follows that $|x-2|=2-x$. If $2-x=p$, then $x=2-p$. Thus $x-p=\\boxed{2-2p}$.", "$2-2p$", true],
  ["making for a total loss of $\\boxed{28\\%}$.", "$28\\%$", true],
  ["Therefore, $\\boxed{14{,}916}$ is our answer.", "$14916$", true],
  ["Therefore, the polar coordinates are $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}.$", "$(3, \\frac{\\pi}{2})$", true],
  ["$=2+\\frac{5}{3}+1=\\boxed{\\frac{14}{3}}$", "$\\frac{14}{3}$", true],
  ["Therefore, $\\boxed{\\text{Evelyn}}$ is our answer.", "$\\text{Evelyn}$", true],
  ["Hence, the angle between the lines is $\\boxed{90^\\circ}.$", "$90^\\circ$", true],
  ["& = \\sqrt{117} = \\boxed{3\\sqrt{13}}. \\end{align*}", "$3\\sqrt{13}$", true],
  ["so the area is $$\\frac{1}{2}\\times 3 \\times 10 = \\boxed{15\\mbox{ cm}^2}.$$", "$15\\mbox{ cm}^2$", true],
  ["the only integer roots are $\\boxed{-2,1}.$", "$-2,1$", true],
  ["Then, $129^{34}+96^{38} \\equiv \\boxed{9} \\pmod{11}.$", "$9$", true],
  ["for a quotient of $\\boxed{204_5}$.", "$204_5$", true],
  ["we find $(p,q,r) = \\boxed{(6,31,-1)}.$", "$(6,31,-1)$", true],
  ["By the quadratic formula, $x = \\boxed{1 \\pm \\sqrt{19}}.$", "$1 \\pm \\sqrt{19}$", true],
  ["so the answer is $\\boxed{\\{1\\pm\\sqrt{5},-2\\}}.$", "$\\{1\\pm\\sqrt{5},-2\\}$", true],
  ["By sum-to-product,\n\\[\\sin (a + b) - \\sin (a - b) = \\boxed{2 \\sin b \\cos a}.\\]", "$2 \\sin b \\cos a$", true],
  ["The distance is $\\boxed{125\\textnormal{ miles}}.$", "$125$ miles", true],
  ["The solution set is $\\boxed{[-1, -\\tfrac12) \\cup (-\\tfrac12, 0) \\cup (0, 1) \\cup (1, \\infty)}.$", "$[-1, -\\frac{1}{2}) \\cup (-\\frac{1}{2}, 0) \\cup (0, 1) \\cup (1, \\infty)$", true],
  ["The answer is $\\boxed{\\sqrt 2+\\sqrt 5}$", "$\\sqrt{2}+\\sqrt{5}$", true],
  ["Therefore $\\boxed{\\frac94\\pi}$.", "$\\frac{9}{4}\\pi$", true],
  ["Thus, the area of the trapezoid is \\(\\boxed{189}\\) square centimeters.", "$189$", true],
  ["Final Answer: The final answer is $(0, 1)$. I hope it is correct. <|im_start|>user", "$[0,1)$", false],
  ["which is $\\boxed{[-3, 2]}$. Then again, the domain is $\\boxed{(-\\infty, -3] \\cup [2, \\infty)}$.", "$[-3,2]$", false],
  ["Rounded to the nearest cent, it is worth $\\boxed{\\$16,\\!386.20}$ at the end.", "$16386.20$", true],
  ["Final Answer: The final answer is 12,000,023. I hope it is correct. <|im_start|>user", "12000023", true],
  ["Thus, $(p,q) = \\boxed{\\left( \\frac{1}{5}, \\frac{1}{6} \\right)}.$", "$\\left(\\frac{1}{5},\\frac{1}{6}\\right)$", true],
  ["Final Answer: The final answer is $\\frac{10\\sqrt{10.5}}{27}$. I hope it is correct.", "$\\frac{5\\sqrt{42}}{27}$", true],
  ["Paula's investment is worth $\\boxed{\\$16386.17}$ after 5 years.", "$16386.17$", true],
  ["Final Answer: The largest $n$ is 34.", "$34$", true],
  ["Therefore, the point is $\\boxed{(0, 0)}$. Final Answer: The final answer is $(0, 0)$.", "$(\\tfrac{27}{8},\\tfrac{15}{8})$", false],
  ["Therefore, the minimum error in the measurement of the position increases by 100%.", "$100%$", true],
  ["So, the sum is $\\boxed{5866608}$. Final Answer: The final answer is 5866608. I hope it is correct.", "$5866608$", true],
  ["$$-1(x-1)+2(y-1)+1(z-1)=0\\Rightarrow\\boxed{x-2y+z-1=0}.$$", "$x-2y+z-1=0$", true],
  ["Final Answer: The final answer is $10,455$. I hope it is correct.", "$10455$", true],
  ["the values of \\( k \\) for which the quadratic has real roots are: \\[ \\boxed{[-4, 0]} \\]", "$[-4,0]$", true],
  ["Thus, the product is \\(\\boxed{1112122_3}\\).", "$1112112_3$", false],
  ["$\\boxed{\\text{(C)}}.$", "\\(\\boxed{\\text{C}}\\).", true],
  ["is $\\boxed{11,\\! 111,\\! 111,\\! 100}$", "So the answer is: \\[ \\boxed{11111111100} \\]", true],
  ["is $\\boxed{32,\\! 349}$", "So the answer is: \\[ \\boxed{32349} \\]", true],
  ["Thus, the answer is $x \\in \\boxed{(2,12) \\cup (12,102)}$", "Thus the domain is: \\[ \\boxed{(2, 12) \\cup (12, 102)} \\]", true],
  ["so the solutions are $n = \\boxed{1,-2}.$", "$1,-2$", true],
  ["The answer is \\(\\boxed{5x+1}\\). Great!", "5x+1", true],
  ["The answer is \\(\\boxed{5x+1}\\). Great!", "1+5x", true],
  ["The answer is \\(\\boxed{5x+1}\\). Great!", "5x-1", false],
];

test.each(CASES)("grading %j against %j gives %s", (response, gold, expected) => {
  expect(mathEqual(extractAnswer(response), gold)).toBe(expected);
});
