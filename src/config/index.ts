/** Options given as text: upstream's `k=v` strings (Python literals) and the sampling params built from them. */
export { parseKeyValues } from "./keyValues.js";
export { buildSampling, DEFAULT_SAMPLING, SAMPLING_KEYS, type Sampling } from "./sampling.js";
