import type { SamplingParams } from "../sampling/index.js";
import { loadAddon } from "./loadAddon.js";

/**
 * Draws `draws` tokens, independently, from one row of logits with the engine's own sampler: what
 * sample `sampleIndex` of a request with these settings could pick at one step (penalties see no
 * generated tokens). For checking sampling settings, and for testing the sampler's distribution.
 */
export async function sampleTokens(logits: Float32Array, sampling: Partial<SamplingParams>, draws: number, sampleIndex = 0): Promise<Int32Array> {
  const addon = await loadAddon("auto", () => {});
  return addon.bindings.sampleTokens(logits, sampling, draws, sampleIndex);
}
