import type { RandomModelOptions } from "./writeRandomModel.js";

/**
 * ChatML, the chat template of Qwen2 models (without their default system prompt), which
 * `skythought make-model` writes so that the model it makes can be evaluated as it is.
 */
export const CHATML_TEMPLATE =
  "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}" +
  "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

export type RandomModelPreset = "tiny" | "tiny-256" | "tiny-llama" | "bench-180m";

/** Shapes of random-weight models: for trying the tool offline (`skythought make-model`), the tests and the benchmarks. */
export const RANDOM_MODEL_PRESETS: Readonly<Record<RandomModelPreset, RandomModelOptions>> = {
  /** qwen2 with the real Qwen2 tokenizer, 2 small layers, f32 (80 MB): the default; tests' engine model. */
  tiny: {
    architecture: "qwen2", vocab: "qwen2", name: "tiny-qwen2",
    embeddingLength: 64, blockCount: 2, feedForwardLength: 128, headCount: 4, headCountKv: 2,
    contextLength: 4096, weightType: "f32",
  },
  /** "tiny" with rows of 256 values, the smallest shape Q4_K weights (256-value blocks) fit: tests' quantised model. */
  "tiny-256": {
    architecture: "qwen2", vocab: "qwen2", name: "tiny-256-qwen2",
    embeddingLength: 256, blockCount: 2, feedForwardLength: 512, headCount: 4, headCountKv: 2,
    contextLength: 4096, weightType: "f32",
  },
  /** llama with a synthetic ~460-token BPE vocab (no llama.cpp source needed): a second architecture, small and fast. */
  "tiny-llama": {
    architecture: "llama", vocab: "synthetic", name: "tiny-llama",
    embeddingLength: 64, blockCount: 2, feedForwardLength: 160, headCount: 4, headCountKv: 4,
    contextLength: 4096, weightType: "f32",
  },
  /** qwen2, real tokenizer, f16, untied: 179.7M weights, sized for throughput benchmarks. */
  "bench-180m": {
    architecture: "qwen2", vocab: "qwen2", name: "bench-180m",
    embeddingLength: 512, blockCount: 8, feedForwardLength: 1536, headCount: 8, headCountKv: 2,
    contextLength: 32768, weightType: "f16",
  },
};
