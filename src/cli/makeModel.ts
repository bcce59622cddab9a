import { Command, Option } from "commander";
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError, diskFullOr } from "../errors.js";
import { CHATML_TEMPLATE, RANDOM_MODEL_PRESETS, writeRandomModel, type RandomModelPreset } from "../gguf/index.js";
import { makeDirectory } from "../makeDirectory.js";
import { int } from "./parsers.js";

/**
 * `skythought make-model`: a small random-weight GGUF (ChatML chat template) to try the tool
 * offline. It answers nonsense, so every score is about 0; it exercises the whole pipeline.
 */
export function makeModelCommand(): Command {
  return new Command("make-model")
    .description("Write a small random-weight GGUF model (answers nonsense) to try skythought without a download")
    .requiredOption("--out <file>", "the .gguf file to write")
    .addOption(
      new Option("--preset <name>", "tiny: qwen2, real Qwen2 tokenizer, 80 MB; tiny-256: tiny with 256-wide rows, 320 MB (the shape Q4_K needs); tiny-llama: llama, 460-token vocab, 0.5 MB; bench-180m: 360 MB, for benchmarks")
        .choices(Object.keys(RANDOM_MODEL_PRESETS))
        .default("tiny"),
    )
    .option("--seed <int>", "weights' seed (the same seed gives the same bytes)", int(0), 0)
    .action(async (raw: { out: string; preset: RandomModelPreset; seed: number }) => {
      const out = resolve(raw.out);
      if (!out.toLowerCase().endsWith(".gguf")) throw new ConfigError(`--out ${raw.out}: name the file *.gguf`);
      try {
        await makeDirectory(dirname(out));
        await writeRandomModel(out, { ...RANDOM_MODEL_PRESETS[raw.preset], chatTemplate: CHATML_TEMPLATE, seed: raw.seed });
      } catch (e) {
        const err = diskFullOr(e, out);
        if (err !== e || !(e as NodeJS.ErrnoException).code) throw err;
        throw new ConfigError(`--out ${raw.out}: cannot write it (${(e as Error).message}); choose another path`);
      }
      const mib = ((await stat(out)).size / 2 ** 20).toFixed(1);
      process.stderr.write(`wrote ${out} (${raw.preset}, ${mib} MiB, random weights: its answers are nonsense)\n`);
    });
}
