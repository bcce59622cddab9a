/** Conversations: model configs (system prompt, user template, prefill) and Jinja chat templates. */
export { chatTemplateRenderer, type ChatTemplateOptions } from "./chatTemplateRenderer.js";
export {
  DEFAULT_MODEL_CONFIG_DIR,
  loadModelConfigs,
  MODEL_CONFIGS_FILE,
  type ModelConfigEntry,
  type ModelConfigs,
} from "./loadModelConfigs.js";
export { makeConversation } from "./makeConversation.js";
export { dumpModelConfig, resolveModelConfig, type ModelConfig, type ResolveModelConfigOptions } from "./resolveModelConfig.js";
export { SystemPromptFile, systemPromptText, type SystemPrompt } from "./SystemPromptFile.js";
