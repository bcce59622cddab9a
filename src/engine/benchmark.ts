import type { SamplingParams } from "../sampling/index.js";
import type { LlamaEngine } from "./LlamaEngine.js";
import type { LlamaModel } from "./LlamaModel.js";

export interface BenchmarkCase {
  /** Requests decoded together. */
  parallel: number;
  promptTokens: number;
  maxTokens: number;
  /** Samples per request (they share one prefill). */
  nSamples: number;
  /** Greedy when absent; request i is seeded with i. */
  sampling?: Partial<SamplingParams>;
}

export interface BenchmarkResult {
  parallel: number;
  promptTokens: number;
  maxTokens: number;
  prefillTokensPerSec: number;
  decodeTokensPerSec: number;
  wallSec: number;
  nSamples: number;
  /** Admission to the last first token: the prompt phase. */
  prefillSec: number;
  decodeSec: number;
}

// Single-token words in common BPE vocabularies (leading space), cycled to build prompts of an
// exact token count; each request starts at another offset so no two prompts are equal.
const WORDS = [" the", " cat", " sat", " on", " a", " mat", " and", " dog", " ran", " to", " it", " was"];

/** The filler text of a benchmark prompt (also used by test/bench/compare.mjs for other engines). */
export function benchmarkPromptText(tokens: number, variant: number): string {
  return Array.from({ length: tokens }, (_, j) => WORDS[(variant * 5 + j) % WORDS.length]).join("");
}

/** A prompt of exactly `tokens` tokens for this model (checked). */
export function benchmarkPrompt(model: LlamaModel, tokens: number, variant: number): string {
  const text = benchmarkPromptText(tokens, variant);
  const n = model.tokenize(text).length;
  if (n !== tokens) throw new Error(`bench: the filler prompt is ${n} tokens with this vocabulary, not ${tokens}`);
  return text;
}

/**
 * One timed run: `parallel` prompts (each `nSamples` samples) admitted at once, greedy unless
 * `sampling` says otherwise, exactly `maxTokens` new tokens each. The prompt phase ends when the
 * last sequence has its first token; decode speed counts the tokens after that over the time after
 * that, as llama-batched-bench does.
 */
export async function runBenchmarkCase(model: LlamaModel, engine: LlamaEngine, c: BenchmarkCase): Promise<BenchmarkResult> {
  const requests = Array.from({ length: c.parallel }, (_, i) => ({
    prompt: benchmarkPrompt(model, c.promptTokens, i),
    n: c.nSamples,
    sampling: { ...c.sampling, ...(c.sampling ? { seed: i } : {}), max_tokens: c.maxTokens, ignore_eos: true },
  }));
  const started = performance.now();
  let admitted = Infinity;
  let prefillDone = 0;
  let end = 0;
  let generated = 0;
  let samples = 0;
  for await (const done of engine.generate(requests)) {
    if (done.finishReason !== "length") throw new Error(`bench: a sample ended with "${done.finishReason}" ${done.error ?? ""}`);
    admitted = Math.min(admitted, done.timings.admittedMs);
    prefillDone = Math.max(prefillDone, done.timings.firstTokenMs);
    end = Math.max(end, done.timings.endMs);
    generated += done.completionTokens;
    samples++;
  }
  const wallSec = (performance.now() - started) / 1000;
  const prefillSec = (prefillDone - admitted) / 1000;
  const decodeSec = (end - prefillDone) / 1000;
  return {
    parallel: c.parallel,
    promptTokens: c.promptTokens,
    maxTokens: c.maxTokens,
    prefillTokensPerSec: (c.parallel * c.promptTokens) / prefillSec,
    // Every sample's first token comes out of the prompt phase.
    decodeTokensPerSec: (generated - samples) / decodeSec,
    wallSec,
    nSamples: c.nSamples,
    prefillSec,
    decodeSec,
  };
}

export interface VariedLengthsCase {
  promptTokens: number;
  /** New tokens of each sample (one request per sample), e.g. from logNormalLengths. */
  lengths: number[];
}

export interface VariedLengthsResult {
  samples: number;
  generatedTokens: number;
  /** From submitting the requests to the last completion. */
  wallSec: number;
  /** Generated tokens over the wall time: what a whole run of such samples gets. */
  tokensPerSec: number;
  preemptions: number;
}

/**
 * Lengths like reasoning traces: log-normal with the given median and sigma (of the log), capped
 * at `cap` (the samples that would run longer end at the cap, as with max_tokens), drawn from a
 * fixed seed so every engine gets the same set.
 */
export function logNormalLengths(count: number, median: number, sigma: number, cap: number, seed = 1): number[] {
  let x = seed >>> 0 || 1;
  const uniform = () => {
    // xorshift32: small, fully specified.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return (x + 0.5) / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.max(1, Math.min(cap, Math.round(median * Math.exp(sigma * normal))));
  });
}

/** Every sample of `c` submitted at once, each exactly its length (end-of-generation ignored), greedy. */
export async function runVariedLengths(model: LlamaModel, engine: LlamaEngine, c: VariedLengthsCase): Promise<VariedLengthsResult> {
  const requests = c.lengths.map((max_tokens, i) => ({ prompt: benchmarkPrompt(model, c.promptTokens, i), sampling: { max_tokens, ignore_eos: true } }));
  const started = performance.now();
  let generated = 0;
  let preemptions = 0;
  for await (const done of engine.generate(requests)) {
    if (done.finishReason !== "length") throw new Error(`bench: a sample ended with "${done.finishReason}" ${done.error ?? ""}`);
    generated += done.completionTokens;
    preemptions += done.preemptions;
  }
  const wallSec = (performance.now() - started) / 1000;
  return { samples: c.lengths.length, generatedTokens: generated, wallSec, tokensPerSec: generated / wallSec, preemptions };
}
