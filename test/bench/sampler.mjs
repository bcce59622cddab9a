// Sampler cost per token on one 152k-token row of logits, for the settings evals use. Run after
// `npm run build`:
//   node test/bench/sampler.mjs [draws]
// "peaked" is shaped like a trained model's row (a few strong tokens 17-22 logits above a normal
// bulk of sd 2.5), "flat" like a random-weight model's (every token within a few nats), the worst
// case for top-p.
// Prints one line per (row, settings): microseconds per sampled token, draws made in one call.
import { sampleTokens } from "../../dist/engine/index.js";

const draws = Number(process.argv[2] ?? 2000);
const n = 152_064;

let state = 12345;
const unit = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 1) / 2 ** 32;
const normal = () => Math.sqrt(-2 * Math.log(unit())) * Math.cos(2 * Math.PI * unit());

const peaked = Float32Array.from({ length: n }, () => 2.5 * normal());
[11, 4000, 77_777, 120_000, 150_001].forEach((id, k) => (peaked[id] = 22 - 1.2 * k));
const flat = Float32Array.from({ length: n }, () => 0.5 * normal());

const settings = [
  {},
  { temperature: 0.7 },
  { temperature: 0.6, top_p: 0.95 },
  { temperature: 0.7, top_k: 40 },
  { temperature: 0.6, top_p: 0.95, min_p: 0.05 },
  { temperature: 1, repetition_penalty: 1.1 },
];

for (const [name, row] of [["peaked", peaked], ["flat", flat]]) {
  for (const s of settings) {
    await sampleTokens(row, { ...s, seed: 1 }, 20);
    const t = performance.now();
    await sampleTokens(row, { ...s, seed: 1 }, draws);
    const us = ((performance.now() - t) * 1000) / draws;
    console.log(`${name.padEnd(6)}  ${JSON.stringify(s).padEnd(48)} ${us.toFixed(1).padStart(8)} us/token`);
  }
}
