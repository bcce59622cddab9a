import { GGML_TYPE, llamaFileTypeOf } from "./ggmlTypes.js";
import { GgufError } from "./GgufError.js";
import { llamaVocabFile, tokenizerKvFrom } from "./llamaVocab.js";
import { randomTensorData } from "./randomTensorData.js";
import { syntheticVocabKv } from "./syntheticVocab.js";
import type { GgufKv } from "./types.js";
import { writeGguf, type GgufTensorSource } from "./writeGguf.js";

export interface RandomModelOptions {
  architecture: "llama" | "qwen2";
  /** "qwen2": the real Qwen2 tokenizer (151,936 tokens) from the pinned llama.cpp source;
   *  "synthetic": a ~460-token byte-level BPE; or a path to any GGUF to copy tokenizer.* from. */
  vocab: "qwen2" | "synthetic" | { file: string };
  embeddingLength: number;
  blockCount: number;
  feedForwardLength: number;
  headCount: number;
  /** Defaults to headCount (no grouped-query attention). */
  headCountKv?: number;
  /** Defaults to 4096. */
  contextLength?: number;
  /** Type of the weight matrices; norms and biases are always F32, as llama.cpp's converters write them. */
  weightType?: "f32" | "f16" | "bf16" | "q8_0" | "q4_K";
  /** Omit output.weight so llama.cpp reuses token_embd (tied embeddings). */
  tiedEmbeddings?: boolean;
  /** Written as tokenizer.chat_template. */
  chatTemplate?: string;
  /** Defaults to 0. The same options and seed give the same bytes. */
  seed?: number;
  /** general.name; defaults to "random-<arch>". */
  name?: string;
}

const WEIGHT_TYPES = { f32: GGML_TYPE.F32, f16: GGML_TYPE.F16, bf16: GGML_TYPE.BF16, q8_0: GGML_TYPE.Q8_0, q4_K: GGML_TYPE.Q4_K } as const;
/** Values per block of the quantised weight types: every row length must be a multiple. */
const BLOCK_VALUES: Partial<Record<keyof typeof WEIGHT_TYPES, number>> = { q8_0: 32, q4_K: 256 };
const INIT_STD = 0.02;

/**
 * Writes a random-weight llama or qwen2 model that the pinned llama.cpp loads and runs: every
 * hyperparameter key those architectures read, the full tensor set (qwen2 adds q/k/v biases) and
 * a real tokenizer. Returns the number of weights written.
 */
export async function writeRandomModel(path: string, opts: RandomModelOptions): Promise<number> {
  const headCountKv = opts.headCountKv ?? opts.headCount;
  checkShape(opts, headCountKv);
  const weightType = WEIGHT_TYPES[opts.weightType ?? "f32"];
  const tokenizer = await tokenizerKv(opts.vocab);
  const tokens = tokenizer.find((e) => e.key === "tokenizer.ggml.tokens");
  const vocabSize = tokens?.type === "array" ? tokens.value.length : 0;
  if (vocabSize === 0) throw new GgufError(`writeRandomModel: the vocab has no tokenizer.ggml.tokens`);

  const tensors = tensorSources(opts, headCountKv, vocabSize, weightType);
  const kv = [...hyperparameterKv(opts, headCountKv, vocabSize, weightType), ...tokenizer];
  if (opts.chatTemplate !== undefined) kv.push({ key: "tokenizer.chat_template", type: "string", value: opts.chatTemplate });
  await writeGguf(path, { kv, tensors });
  return tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
}

function checkShape(opts: RandomModelOptions, headCountKv: number): void {
  const { embeddingLength: embd, headCount, feedForwardLength: ff } = opts;
  const bad = (why: string) => new GgufError(`writeRandomModel: ${why}`);
  for (const [k, v] of Object.entries({ embd, headCount, headCountKv, ff, blockCount: opts.blockCount })) {
    if (!Number.isInteger(v) || v <= 0) throw bad(`${k} must be a positive integer, got ${v}`);
  }
  if (embd % headCount !== 0) throw bad(`embeddingLength ${embd} is not a multiple of headCount ${headCount}`);
  if (headCount % headCountKv !== 0) throw bad(`headCount ${headCount} is not a multiple of headCountKv ${headCountKv}`);
  if ((embd / headCount) % 2 !== 0) throw bad(`the head size ${embd / headCount} must be even for RoPE`);
  const block = BLOCK_VALUES[opts.weightType ?? "f32"];
  if (block && (embd % block !== 0 || ff % block !== 0)) {
    throw bad(`${opts.weightType} needs embeddingLength and feedForwardLength to be multiples of ${block}`);
  }
}

async function tokenizerKv(vocab: RandomModelOptions["vocab"]): Promise<GgufKv[]> {
  if (vocab === "synthetic") return syntheticVocabKv();
  return tokenizerKvFrom(vocab === "qwen2" ? await llamaVocabFile("qwen2") : vocab.file);
}

function hyperparameterKv(opts: RandomModelOptions, headCountKv: number, vocabSize: number, weightType: number): GgufKv[] {
  const arch = opts.architecture;
  const u32 = (key: string, value: number): GgufKv => ({ key: `${arch}.${key}`, type: "uint32", value });
  const f32 = (key: string, value: number): GgufKv => ({ key: `${arch}.${key}`, type: "float32", value });
  const kv: GgufKv[] = [
    { key: "general.architecture", type: "string", value: arch },
    { key: "general.name", type: "string", value: opts.name ?? `random-${arch}` },
    { key: "general.file_type", type: "uint32", value: llamaFileTypeOf(weightType) },
    u32("context_length", opts.contextLength ?? 4096),
    u32("embedding_length", opts.embeddingLength),
    u32("block_count", opts.blockCount),
    u32("feed_forward_length", opts.feedForwardLength),
    u32("attention.head_count", opts.headCount),
    u32("attention.head_count_kv", headCountKv),
    u32("rope.dimension_count", opts.embeddingLength / opts.headCount),
    f32("rope.freq_base", arch === "qwen2" ? 1_000_000 : 10_000),
    f32("attention.layer_norm_rms_epsilon", 1e-6),
    u32("vocab_size", vocabSize),
  ];
  if (weightType === GGML_TYPE.Q8_0 || weightType === GGML_TYPE.Q4_K) kv.push({ key: "general.quantization_version", type: "uint32", value: 2 });
  return kv;
}

function tensorSources(opts: RandomModelOptions, headCountKv: number, vocabSize: number, weightType: number): GgufTensorSource[] {
  const embd = opts.embeddingLength;
  const kvDim = (embd / opts.headCount) * headCountKv;
  const seed = opts.seed ?? 0;
  const matrix = (name: string, cols: number, rows: number): GgufTensorSource => ({
    name, shape: [cols, rows], type: weightType,
    data: () => randomTensorData(weightType, cols * rows, { seed, name, scale: INIT_STD }),
  });
  const vector = (name: string, length: number, kind: "norm" | "bias"): GgufTensorSource => ({
    name, shape: [length], type: GGML_TYPE.F32,
    data: () => randomTensorData(GGML_TYPE.F32, length, kind === "norm" ? { seed, name, scale: 0, constant: 1 } : { seed, name, scale: INIT_STD }),
  });

  const tensors = [matrix("token_embd.weight", embd, vocabSize), vector("output_norm.weight", embd, "norm")];
  if (!opts.tiedEmbeddings) tensors.push(matrix("output.weight", embd, vocabSize));
  for (let i = 0; i < opts.blockCount; i++) {
    const blk = `blk.${i}`;
    tensors.push(
      vector(`${blk}.attn_norm.weight`, embd, "norm"),
      matrix(`${blk}.attn_q.weight`, embd, embd),
      matrix(`${blk}.attn_k.weight`, embd, kvDim),
      matrix(`${blk}.attn_v.weight`, embd, kvDim),
    );
    if (opts.architecture === "qwen2") {
      tensors.push(vector(`${blk}.attn_q.bias`, embd, "bias"), vector(`${blk}.attn_k.bias`, kvDim, "bias"), vector(`${blk}.attn_v.bias`, kvDim, "bias"));
    }
    tensors.push(
      matrix(`${blk}.attn_output.weight`, embd, embd),
      vector(`${blk}.ffn_norm.weight`, embd, "norm"),
      matrix(`${blk}.ffn_gate.weight`, embd, opts.feedForwardLength),
      matrix(`${blk}.ffn_up.weight`, embd, opts.feedForwardLength),
      matrix(`${blk}.ffn_down.weight`, opts.feedForwardLength, embd),
    );
  }
  return tensors;
}
