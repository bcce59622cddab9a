import { z } from "zod";
import { ConfigError } from "../errors.js";
import { fromPlain, toPlain, type PyDict } from "../py/index.js";
import { isOpenAIReasoningModel, SamplingParamsSchema, samplingConflict, type SamplingParams } from "../sampling/index.js";
import { parseKeyValues } from "./keyValues.js";

/** Upstream's default `--sampling-params` string; user keys are merged over it (spec 2.5 step 6). */
export const DEFAULT_SAMPLING = "temperature=0,top_p=1,max_tokens=32768";

/**
 * `--sampling-params`: the engine's SamplingParams with the bounds it enforces, plus what the
 * command line adds: `stop` as one string, a null `frequency_penalty` (upstream's openai default),
 * `n` and `reasoning_effort`.
 */
const SamplingSchema = z.strictObject({
  ...SamplingParamsSchema.shape,
  frequency_penalty: SamplingParamsSchema.shape.frequency_penalty.unwrap().nullable().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  n: z.number().int().min(1).optional(),
  reasoning_effort: z.enum(["low", "medium", "high"]).nullable().optional(),
});

export const SAMPLING_KEYS = Object.keys(SamplingSchema.shape);

export interface Sampling {
  /** The dict upstream hashes and writes into summary.json (int/float tags kept, key order kept). */
  dict: PyDict;
  /** What the backend receives: the engine's SamplingParams, nothing else. */
  params: SamplingParams;
  /** Samples per problem. */
  n: number;
  /** Messages for the user about adjustments made (upstream's warnings). */
  warnings: string[];
}

export interface SamplingInput {
  /** `k=v` string or dict literal, or an object from a library caller. */
  samplingParams?: string | Record<string, unknown> | undefined;
  /** `--n`: appended to the dict only when given (so it changes the hash only then). */
  n?: number | undefined;
  /** `--model`, for the o1/o3 top_p rule. */
  model: string;
}

/** Builds the sampling dict and params in upstream's order (spec 2.5 steps 6, 9, 10). */
export function buildSampling(input: SamplingInput): Sampling {
  const dict = parseKeyValues(DEFAULT_SAMPLING, "--sampling-params");
  const user =
    typeof input.samplingParams === "string"
      ? parseKeyValues(input.samplingParams, "--sampling-params")
      : fromPlain(input.samplingParams ?? {});
  for (const [k, v] of user) dict.set(k, v);
  if (input.n !== undefined) dict.set("n", input.n);

  const { reasoning_effort: effort, n: nSet, ...params } = validateSampling(dict);
  const warnings: string[] = [];
  if (effort !== undefined && effort !== null) {
    // Upstream's openai backend raises the same for other models; no backend here sends it yet.
    if (!isOpenAIReasoningModel(input.model)) throw new ConfigError("--sampling-params: reasoning_effort is only supported for OpenAI o1/o3 reasoning models");
    warnings.push(`reasoning_effort=${effort} is recorded in the run's sampling params but not sent: the openai backend does not send it`);
  }
  if (params.top_p < 1 && isOpenAIReasoningModel(input.model)) {
    dict.set("top_p", 1);
    params.top_p = 1;
    warnings.push("top_p is not supported for o1/o3 models; it was set to 1");
  }
  let n = nSet ?? 1;
  if (params.temperature === 0 && n > 1) {
    dict.set("n", 1);
    n = 1;
    warnings.push(
      `n=${nSet} with temperature 0 gives ${nSet} identical greedy samples; n was set to 1 (as upstream's ` +
        `openai backend does). Set --sampling-params temperature=0.6 (say) for several different samples`,
    );
  }
  return { dict, params, n, warnings };
}

function validateSampling(dict: PyDict): SamplingParams & { n?: number; reasoning_effort?: string | null } {
  const plain = toPlain(dict) as Record<string, unknown>;
  const unknown = Object.keys(plain).filter((k) => !SAMPLING_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      `--sampling-params: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")}; ` +
        `valid keys are ${SAMPLING_KEYS.join(", ")}`,
    );
  }
  const parsed = SamplingSchema.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "");
    // A bad logit_bias key: the key's own message, not zod's "Invalid key in record".
    const message = issue.code === "invalid_key" ? `key ${JSON.stringify(issue.path.at(-1))} ${issue.issues[0]?.message}` : issue.message;
    throw new ConfigError(`--sampling-params: bad value ${JSON.stringify(plain[key])} for ${key}: ${message}`);
  }
  const { stop, frequency_penalty, ...rest } = parsed.data;
  const params: SamplingParams & { n?: number; reasoning_effort?: string | null } = { ...rest };
  if (frequency_penalty !== undefined && frequency_penalty !== null) params.frequency_penalty = frequency_penalty;
  if (stop !== undefined) params.stop = typeof stop === "string" ? [stop] : stop;
  const conflict = samplingConflict(params);
  if (conflict) throw new ConfigError(`--sampling-params: ${conflict}`);
  return params;
}
