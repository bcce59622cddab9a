#!/usr/bin/env node
// Writes one random-weight test model for gpu-check.sh with the project's GGUF writer (real Qwen2
// vocabulary, ChatML template) and prints {name, path, parameters, bytes, seconds} as JSON.
//   node test/device/write-model.mjs <dir> <preset>
// An existing file is kept (the writer is deterministic: same preset, same bytes). The writer
// makes f32, f16 and q8_0 matrices only, so there is no q4_K preset.
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("../..", import.meta.url).pathname;
const CHATML =
  "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}" +
  "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

const qwen15b = {
  architecture: "qwen2", embeddingLength: 1536, blockCount: 28, feedForwardLength: 8960,
  headCount: 12, headCountKv: 2, tiedEmbeddings: true,
};

/** Shapes of the models the check names: Qwen2.5-1.5B (R1-Distill-Qwen-1.5B) and Llama-3.1-8B. */
export const PRESETS = {
  /** bench-180m's shape (test/fixtures/models.ts): loads in a second, for smoke tests and CPU runs. */
  "smoke-180m": { architecture: "qwen2", embeddingLength: 512, blockCount: 8, feedForwardLength: 1536, headCount: 8, headCountKv: 2, weightType: "f16" },
  "qwen2-1.5b-f16": { ...qwen15b, weightType: "f16" },
  "qwen2-1.5b-q8_0": { ...qwen15b, weightType: "q8_0" },
  /** Llama-3.1-8B's layers with the 151,936-token Qwen2 vocabulary: 8.2B weights. */
  "llama-8b-f16": {
    architecture: "llama", embeddingLength: 4096, blockCount: 32, feedForwardLength: 14336,
    headCount: 32, headCountKv: 8, weightType: "f16",
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
    const { writeRandomModel } = await import(pathToFileURL(join(root, "dist", "gguf", "index.js")).href);
    const tmp = `${path}.tmp-${process.pid}`;
    parameters = await writeRandomModel(tmp, { ...preset, vocab: "qwen2", name, contextLength: 32768, chatTemplate: CHATML });
    renameSync(tmp, path);
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ name, path, parameters, bytes: statSync(path).size, seconds }) + "\n");
}

await main(process.argv.slice(2));
