// Child process of sizeGrid.test.ts: runs the engine over a grid of small sizes and prints one
// JSON line per case. A native abort kills this process (not the test runner), and the parent
// names the last case it printed.
//   node test/engine/sizeGridChild.mjs <dist/engine/index.js> <model.gguf>
const [, , engineModule, modelPath] = process.argv;
const { LlamaModel } = await import(engineModule);

const model = await LlamaModel.load(modelPath, { gpu: "cpu" });
const promptOf = (tokens) => Array.from({ length: tokens }, (_, i) => [" the", " cat", " sat", " on"][i % 4]).join("");
const requests = [];
for (const tokens of [1, 130, 300]) {
  for (const n of [1, 3]) requests.push({ prompt: promptOf(tokens), n, sampling: { max_tokens: 4, ignore_eos: true } });
}
requests.push({ prompt: promptOf(20), n: 2, sampling: { max_tokens: 200, ignore_eos: true } });
const expected = requests.reduce((a, r) => a + r.n, 0);

for (const kvMode of ["streams", "pool"]) {
  for (const nCtx of [1, 100, 256, 1000]) {
    for (const nBatch of [1, 3, 64, 512]) {
      for (const maxSequences of [1, 3, 16]) {
        const c = { kvMode, nCtx, nBatch, maxSequences };
        process.stdout.write(JSON.stringify({ case: c }) + "\n");
        let engine;
        try {
          engine = await model.createEngine({ ...c, threads: 1, kvType: "f32" });
        } catch (err) {
          process.stdout.write(JSON.stringify({ refused: `${err.name}: ${err.message}` }) + "\n");
          continue;
        }
        const done = [];
        try {
          for await (const d of engine.generate(requests)) done.push(d);
        } finally {
          await engine.close();
        }
        const bad = done.filter((d) => {
          const r = requests[d.requestIndex];
          if (d.finishReason === "error") return !(typeof d.error === "string" && d.error.length > 0);
          return !(["length", "context"].includes(d.finishReason) && (d.finishReason !== "length" || d.completionTokens === r.sampling.max_tokens));
        });
        process.stdout.write(JSON.stringify({ completions: done.length, expected, errors: [...new Set(done.filter((d) => d.finishReason === "error").map((d) => d.error))], bad: bad.length }) + "\n");
      }
    }
  }
}
await model.close();
process.stdout.write(JSON.stringify({ finished: true }) + "\n");
