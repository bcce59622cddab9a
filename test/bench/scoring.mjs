// Scoring throughput: extract + grade 10,000 typical responses (long reasoning ending in \boxed{},
// numeric / fraction / expression / tuple answers, a third of them wrong). Run after `npx tsc -p src`:
//   node test/bench/scoring.mjs [count]
// Prints one JSON line: {responses, avgChars, seconds (wall), cpuSeconds, perSecond, correct, mismatched}.
import { extractAnswer, mathEqual } from "../../dist/scoring/index.js";

const count = Number(process.argv[2] ?? 10_000);

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

// [gold, an equivalent way a model writes it, a wrong answer]
const ANSWERS = [
  () => { const n = Math.floor(rand() * 1000); return [`${n}`, `${n}`, `${n + 1}`]; },
  () => { const n = Math.floor(rand() * 100000); return [`${n}`, n.toLocaleString("en-US"), `${n * 10}`]; },
  () => { const a = 1 + Math.floor(rand() * 20); const b = a + 1 + Math.floor(rand() * 20); return [`\\frac{${a}}{${b}}`, `\\dfrac{${a}}{${b}}`, `\\frac{${b}}{${a}}`]; },
  () => { const a = 1 + Math.floor(rand() * 9); return [`\\frac{${a}}{4}`, `${a / 4}`, `${a / 4 + 1}`]; },
  () => { const a = 2 + Math.floor(rand() * 50); return [`${a}\\sqrt{2}`, `\\sqrt{${2 * a * a}}`, `${a}\\sqrt{3}`]; },
  () => { const a = 1 + Math.floor(rand() * 9); return [`x^2+${2 * a}x+${a * a}`, `(x+${a})^2`, `(x-${a})^2`]; },
  () => { const a = Math.floor(rand() * 9); const b = Math.floor(rand() * 9); return [`(${a},${b})`, `\\left( ${a}, ${b} \\right)`, `(${b + 1},${a})`]; },
  () => { const a = 1 + Math.floor(rand() * 9); return [`\\frac{${a}\\pi}{3}`, `\\frac{${a}}{3}\\pi`, `\\frac{${a}\\pi}{6}`]; },
  () => { const a = 10 + Math.floor(rand() * 80); return [`${a}^\\circ`, `${a}`, `${a + 5}`]; },
  () => { const a = 1 + Math.floor(rand() * 9); return [`[${-a},${a})`, `[${-a}, ${a})`, `(${-a},${a})`]; },
];

const FILLER = [
  "Let me think about this carefully. ",
  "First, we rewrite the equation as $x^2 - 5x + 6 = 0$, so $(x-2)(x-3)=0$. ",
  "Substituting back, we get $y = 2(3) + 1 = 7$, which checks out. ",
  "Wait, I should double-check the arithmetic: $12 \\times 7 = 84$ and $84 / 4 = 21$. ",
  "Hmm, that does not look right; let me reconsider the constraint on $n$. ",
  "By the Pythagorean theorem, $a^2 + b^2 = c^2$, so $c = \\sqrt{9 + 16} = 5$. ",
];

const cases = [];
for (let i = 0; i < count; i++) {
  const [gold, same, wrong] = pick(ANSWERS)();
  const parts = [];
  const sentences = 20 + Math.floor(rand() * 60);
  for (let k = 0; k < sentences; k++) parts.push(pick(FILLER));
  const answer = rand() < 0.67 ? same : wrong;
  parts.push(`\n\nTherefore, the final answer is $\\boxed{${answer}}$.`);
  cases.push([parts.join(""), gold, answer === same]);
}

const cpuStart = process.cpuUsage();
const start = performance.now();
let correct = 0;
let mismatched = 0;
for (const [response, gold, expected] of cases) {
  const ok = mathEqual(extractAnswer(response), gold);
  if (ok) correct++;
  if (ok !== expected) mismatched++;
}
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const chars = cases.reduce((n, [r]) => n + r.length, 0);
console.log(JSON.stringify({
  responses: count, avgChars: Math.round(chars / count), seconds: Number(seconds.toFixed(3)),
  cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
  perSecond: Math.round(count / seconds), correct, mismatched,
}));
