import { z } from "zod";
import { ConfigError } from "../../errors.js";

/**
 * `--backend-args` of the `openai` backend (alias `vllm`). Values come from the k=v parser, so
 * numbers may arrive wrapped (int/float kept apart for the run hash): unwrap them first.
 */
const unwrap = (v: unknown): unknown => {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const inner = (v as { valueOf(): unknown }).valueOf();
    if (inner !== v) return inner;
  }
  return v;
};

const url = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}, "must be an http(s) URL such as http://host:8000/v1");

const num = <T extends z.ZodType>(schema: T) => z.preprocess(unwrap, schema);

export const OpenAIArgsSchema = z.strictObject({
  /** One endpoint, or several separated by `|` (or a list in the dict form). */
  base_url: z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : v.split("|")).map((s) => s.trim().replace(/\/+$/, "")).filter((s) => s !== ""),
    )
    .pipe(z.array(url).min(1, "needs at least one URL"))
    .optional(),
  api_key: z.string().optional(),
  /** The name the server serves the model under; defaults to `--model`. */
  model: z.string().min(1).optional(),
  organization: z.string().optional(),
  project: z.string().optional(),
  /** Requests in flight per endpoint. */
  max_concurrency: num(z.number().int().min(1).max(4096)).default(32),
  /** Seconds one HTTP request may take, queueing on the server included. */
  timeout: num(z.number().positive().max(1_000_000)).default(3600),
  /**
   * Seconds an endpoint may keep requests waiting without sending a byte of any answer. Then it
   * must answer GET <base_url>/models within this time too, or it counts as dead: its requests are
   * cut and retried elsewhere (or end as errors). A long generation is not cut while its server
   * answers. Finds a server that accepts connections but never answers in seconds, not `timeout`.
   */
  first_byte_timeout: num(z.number().positive().max(1_000_000)).default(30),
  /** Retries of one sample after its first attempt. */
  max_retries: num(z.number().int().min(0).max(100)).default(6),
  /** chat: the server applies the chat template. completions: we render it (exact prefill control). */
  mode: z.enum(["chat", "completions"]).default("chat"),
});

export type OpenAIArgs = z.output<typeof OpenAIArgsSchema>;

export interface OpenAISettings extends Omit<OpenAIArgs, "base_url" | "model"> {
  baseUrls: string[];
  model: string;
}

export const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/**
 * Validates raw backend args. Unknown keys and bad values throw ConfigError naming the key and
 * listing the valid ones; `api_key` and `base_url` fall back to OPENAI_API_KEY / OPENAI_BASE_URL.
 */
export function parseOpenAIArgs(
  model: string,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): OpenAISettings {
  const valid = Object.keys(OpenAIArgsSchema.shape);
  const unknown = Object.keys(raw).filter((k) => !valid.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown --backend-args key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} ` +
        `for backend openai; valid keys: ${valid.join(", ")}`,
    );
  }
  const withEnv = { ...raw };
  if (withEnv.base_url === undefined && env.OPENAI_BASE_URL) withEnv.base_url = env.OPENAI_BASE_URL;
  const parsed = OpenAIArgsSchema.safeParse(withEnv);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(args)"}: ${i.message}`);
    throw new ConfigError(`bad --backend-args for backend openai: ${issues.join("; ")}`);
  }
  const { base_url, model: served, ...rest } = parsed.data;
  const apiKey = rest.api_key ?? env.OPENAI_API_KEY;
  return {
    ...rest,
    ...(apiKey ? { api_key: apiKey } : {}),
    baseUrls: base_url ?? [DEFAULT_BASE_URL],
    model: served ?? model,
  };
}
