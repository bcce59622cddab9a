import { ConfigError } from "../errors.js";
import { loadModelConfigs, type ModelConfigs } from "./loadModelConfigs.js";
import type { SystemPrompt } from "./SystemPromptFile.js";

/** Upstream's ModelConfig; the key order is its dump order (spec 2.6). */
export interface ModelConfig {
  model_id: string;
  name: string;
  system_prompt: SystemPrompt | null;
  user_template: string | null;
  assistant_prefill: string | null;
}

export interface ResolveModelConfigOptions {
  modelId: string;
  systemPromptName?: string | undefined;
  /** Already decoded (decodeUnicodeEscapes). */
  systemPrompt?: string | undefined;
  /** Already decoded (decodeUnicodeEscapes). */
  assistantPrefill?: string | undefined;
  /** Folder of model_configs.yaml; the package's models/ by default. */
  configDir?: string | undefined;
  /** Loaded configs to use instead of reading configDir. */
  configs?: ModelConfigs | undefined;
  /** Upstream's warning for an unknown model without a system prompt. */
  onWarning?: ((message: string) => void) | undefined;
}

/** `ModelConfig.from_model_id` (spec 4.1), in upstream's order of precedence. */
export async function resolveModelConfig(opts: ResolveModelConfigOptions): Promise<ModelConfig> {
  const { modelId, systemPromptName, systemPrompt, assistantPrefill } = opts;
  if (systemPromptName && systemPrompt) {
    throw new ConfigError("--system-prompt-name and --system-prompt cannot both be given; pick one");
  }
  const configs = opts.configs ?? (await loadModelConfigs(opts.configDir));
  const known = Object.prototype.hasOwnProperty.call(configs.models, modelId);
  const entry = known ? configs.models[modelId]! : {};
  let prompt: SystemPrompt | null = entry.system_prompt ?? null;
  if (systemPromptName) {
    if (!Object.prototype.hasOwnProperty.call(configs.systemPrompts, systemPromptName)) {
      throw new ConfigError(
        `Invalid system prompt template ${systemPromptName} provided. --system-prompt-name must be one of: ${Object.keys(configs.systemPrompts).join(", ")}`,
      );
    }
    prompt = configs.systemPrompts[systemPromptName]!;
  } else if (systemPrompt) {
    prompt = systemPrompt;
  } else if (!known) {
    opts.onWarning?.(`Model ${modelId} not found in ${configs.file}. Initializing without any system prompt.`);
  }
  return {
    model_id: modelId,
    name: entry.name || modelId.split("/").pop()!,
    system_prompt: prompt,
    user_template: entry.user_template ?? null,
    assistant_prefill: assistantPrefill || (entry.assistant_prefill ?? null),
  };
}

/** The ModelConfig as upstream dumps it into the run config: a file prompt becomes `{path}`. */
export function dumpModelConfig(config: ModelConfig): Record<string, unknown> {
  const prompt = config.system_prompt;
  return {
    model_id: config.model_id,
    name: config.name,
    system_prompt: prompt === null || typeof prompt === "string" ? prompt : prompt.toJSON(),
    user_template: config.user_template,
    assistant_prefill: config.assistant_prefill,
  };
}
