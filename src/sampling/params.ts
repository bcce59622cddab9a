import { z } from "zod";

const INT32_MAX = 2 ** 31 - 1;
const finite = z.number().finite();
const count = (min: number) => z.number().int().min(min).max(INT32_MAX);

/**
 * Sampling parameters as vLLM's `SamplingParams` names them: the one contract from
 * `--sampling-params` to the engine's C++ sampler (which reads this object unchanged) and the
 * OpenAI request body. The bounds are the engine's: native/src/sampler.h declares each field once
 * in its SAMPLING_FIELDS table with the same bounds, and test/engine/samplingContract.test.ts
 * checks that the two agree. `max_tokens` and `min_tokens` count completion tokens; `logit_bias`
 * maps token ids (as strings, OpenAI's JSON) to a bias added to the logit; `top_k` -1 or 0 is off.
 */
export const SamplingParamsSchema = z.strictObject({
  temperature: finite.min(0).max(1e6),
  top_p: finite.gt(0).max(1),
  max_tokens: count(1),
  top_k: z.number().int().min(-1).max(INT32_MAX).optional(),
  min_p: finite.min(0).max(1).optional(),
  repetition_penalty: finite.gt(0).max(1e6).optional(),
  presence_penalty: finite.min(-2).max(2).optional(),
  frequency_penalty: finite.min(-2).max(2).optional(),
  /** Base seed of the request; sample i draws from a generator seeded by (seed, i). */
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  stop: z.array(z.string()).optional(),
  min_tokens: count(0).optional(),
  ignore_eos: z.boolean().optional(),
  logit_bias: z.record(z.string().regex(/^\d{1,10}$/, "must be a token id"), finite.min(-100).max(100)).optional(),
});

export type SamplingParams = z.infer<typeof SamplingParamsSchema>;

/** The rule between fields (vLLM's): undefined when it holds, else what is wrong. */
export function samplingConflict(p: { max_tokens: number; min_tokens?: number | undefined }): string | undefined {
  if (p.min_tokens !== undefined && p.min_tokens > p.max_tokens) return `min_tokens (${p.min_tokens}) must not exceed max_tokens (${p.max_tokens})`;
  return undefined;
}
