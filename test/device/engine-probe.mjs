#!/usr/bin/env node
// Drives the in-process engine (dist/engine) for gpu-check.sh and prints one JSON object:
//   smoke       --model M --gpu G   which build and devices it runs on, 16 greedy tokens
//   greedy      --model M --gpu G   greedy texts of the first MATH-500 rows (ChatML prompts)
//   invariance  --model M --gpu G   a prompt's text alone vs among 15 others, greedy and at
//                                   temperature 0.7 (same seed): equal, or where they part
// Options: --max-tokens N (default 128), --threads N, --rows FILE (default math500-rows.jsonl).
// llama.cpp's own log (level info) goes to stderr, so the step log holds its device lines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { compareTexts, describeComparison } from "./divergence.mjs";

const here = new URL(".", import.meta.url).pathname;
const { LlamaModel } = await import(pathToFileURL(join(here, "..", "..", "dist", "engine", "index.js")).href);

const { positionals, values: o } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: "string" },
    gpu: { type: "string", default: "cuda" },
    "max-tokens": { type: "string", default: "128" },
    threads: { type: "string" },
    rows: { type: "string", default: join(here, "math500-rows.jsonl") },
  },
});
const maxTokens = Number(o["max-tokens"]);

function prompts(count) {
  const rows = readFileSync(o.rows, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  return Array.from({ length: count }, (_, i) =>
    `<|im_start|>user\nReturn your final response within \\boxed{}. ${rows[i % rows.length].problem}<|im_end|>\n<|im_start|>assistant\n`);
}

async function withEngine(maxSequences, fn) {
  const logs = [];
  const model = await LlamaModel.load(o.model, { gpu: o.gpu, llamaLogLevel: 3, onLog: (m) => logs.push(m) });
  try {
    const engine = await model.createEngine({ maxSequences, nCtx: maxSequences * 1024, ...(o.threads ? { threads: Number(o.threads) } : {}) });
    return { gpu: model.gpu, engine: engine.info, logs, ...(await fn(engine)) };
  } finally {
    await model.close();
  }
}

/** Texts of `requests`, in request order. Any error completion fails the probe. */
async function texts(engine, requests) {
  const out = [];
  for await (const c of engine.generate(requests)) {
    if (c.finishReason === "error") throw new Error(`request ${c.requestIndex}: ${c.error}`);
    out[c.requestIndex] = c.text;
  }
  return out;
}

const request = (prompt, sampling) => ({ prompt, maxTokens, ignoreEos: true, sampling });

const probes = {
  smoke: () =>
    withEngine(1, async (engine) => {
      const started = performance.now();
      const [text] = await texts(engine, [{ ...request(prompts(1)[0], { temperature: 0 }), maxTokens: 16 }]);
      return { text, seconds: (performance.now() - started) / 1000 };
    }),

  greedy: () => withEngine(4, async (engine) => ({ texts: await texts(engine, prompts(4).map((p) => request(p, { temperature: 0 }))) })),

  invariance: () =>
    withEngine(16, async (engine) => {
      const all = prompts(16);
      const target = 5;
      const results = {};
      for (const [name, sampling] of [["greedy", { temperature: 0 }], ["temperature 0.7", { temperature: 0.7, seed: 1234 }]]) {
        const alone = await texts(engine, [request(all[target], sampling)]);
        const batch = await texts(engine, all.map((p, i) => request(p, i === target ? sampling : { ...sampling, seed: 99 + i })));
        const c = compareTexts(alone, [batch[target]]);
        results[name] = { ...c, summary: describeComparison(c) };
      }
      return { results };
    }),
};

const probe = probes[positionals[0]];
if (!probe || !o.model) {
  process.stderr.write(`usage: engine-probe.mjs <${Object.keys(probes).join("|")}> --model M [--gpu G]\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(await probe()) + "\n");
