#!/usr/bin/env node
// Writes one random-weight test model for gpu-check.sh with the project's GGUF writer (real Qwen2
// vocabulary, make-model's ChatML template) and prints {name, path, parameters, bytes, seconds} as JSON.
//   node test/device/write-model.mjs <dir> <preset>
// An existing file is kept (the writer is deterministic: same preset, same bytes). The writer
// makes f32, f16 and q8_0 matrices only, so there is no q4_K preset.
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("../..", import.meta.url).pathname;
const { writeRandomModel, RANDOM_MODEL_PRESETS, CHATML_TEMPLATE } = await import(pathToFileURL(join(root, "dist", "gguf", "index.js")).href);

const qwen15b = {
  architecture: "qwen2", vocab: "qwen2", contextLength: 32768,
  embeddingLength: 1536, blockCount: 28, feedForwardLength: 8960, headCount: 12, headCountKv: 2, tiedEmbeddings: true,
};

/** The check's models: make-model's bench-180m, and the shapes of Qwen2.5-1.5B (R1-Distill-Qwen-1.5B) and Llama-3.1-8B. */
const PRESETS = {
  /** Loads in a second: the prebuilt-addon smoke test and every CPU rehearsal. */
  "bench-180m": RANDOM_MODEL_PRESETS["bench-180m"],
  "qwen2-1.5b-f16": { ...qwen15b, weightType: "f16" },
  "qwen2-1.5b-q8_0": { ...qwen15b, weightType: "q8_0" },
  /** Llama-3.1-8B's layers with the 151,936-token Qwen2 vocabulary: 8.2B weights. */
  "llama-8b-f16": {
    architecture: "llama", vocab: "qwen2", contextLength: 32768,
    embeddingLength: 4096, blockCount: 32, feedForwardLength: 14336, headCount: 32, headCountKv: 8, weightType: "f16",
  },
};

async function main([dir, name]) {
  const preset = PRESETS[name];
  if (!dir || !preset) throw new Error(`usage: write-model.mjs <dir> <${Object.keys(PRESETS).join("|")}>`);
  const path = join(dir, `${name}.gguf`);
  const started = Date.now();
  let parameters = null;
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    parameters = await writeRandomModel(tmp, { ...preset, name, chatTemplate: CHATML_TEMPLATE });
    renameSync(tmp, path);
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ name, path, parameters, bytes: statSync(path).size, seconds }) + "\n");
}

await main(process.argv.slice(2));
