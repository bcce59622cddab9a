#!/usr/bin/env node
// The bench workload through node-llama-cpp, the way an app would batch with it: one context
// sequence per parallel slot, all evaluated with Promise.all, greedy. Prints a JSON array shaped
// like `skythought bench --json`. Run by compare.mjs in its own process.
//   node test/bench/nodeLlamaCppBench.mjs MODEL THREADS PROMPT_TOKENS MAX_TOKENS PARALLEL_LIST [REPEAT]
// With REPEAT, each case runs that often and keeps its fastest prefill and fastest decode.
import { getLlama } from "node-llama-cpp";
import { benchmarkPromptText } from "../../dist/engine/index.js";

const [modelPath, threadsArg, promptArg, maxArg, parallelArg, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg ?? 1);
const threads = Number(threadsArg);
const promptTokens = Number(promptArg);
const maxTokens = Number(maxArg);
const parallelList = parallelArg.split(",").map(Number);

const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath });

async function run(parallel, prompt, tokens) {
  const context = await model.createContext({
    sequences: parallel,
    contextSize: parallel * (prompt + tokens + 1),
    batchSize: 512,
    threads,
  });
  const inputs = Array.from({ length: parallel }, (_, i) => model.tokenize(benchmarkPromptText(prompt, i)));
  if (inputs.some((t) => t.length !== prompt)) throw new Error("node-llama-cpp tokenised the filler prompt differently");
  const start = performance.now();
  const first = [];
  const end = [];
  await Promise.all(
    inputs.map(async (input, i) => {
      const sequence = context.getSequence();
      let count = 0;
      for await (const token of sequence.evaluate(input, { temperature: 0 })) {
        void token;
        if (count === 0) first[i] = performance.now();
        if (++count >= tokens) break;
      }
      end[i] = performance.now();
    }),
  );
  await context.dispose();
  const prefillDone = Math.max(...first);
  const finished = Math.max(...end);
  return {
    parallel,
    promptTokens: prompt,
    maxTokens: tokens,
    prefillTokensPerSec: (parallel * prompt) / ((prefillDone - start) / 1000),
    decodeTokensPerSec: (parallel * (tokens - 1)) / ((finished - prefillDone) / 1000),
    wallSec: (finished - start) / 1000,
  };
}

await run(1, 8, 2); // warm-up
const rows = [];
for (const parallel of parallelList) {
  let best;
  for (let r = 0; r < repeat; r++) {
    const res = await run(parallel, promptTokens, maxTokens);
    best = !best ? res : {
      ...res,
      prefillTokensPerSec: Math.max(best.prefillTokensPerSec, res.prefillTokensPerSec),
      decodeTokensPerSec: Math.max(best.decodeTokensPerSec, res.decodeTokensPerSec),
      wallSec: Math.min(best.wallSec, res.wallSec),
    };
  }
  rows.push(best);
}
await model.dispose();
process.stdout.write(JSON.stringify(rows) + "\n");
