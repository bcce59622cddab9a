export { chatTemplateRenderer, type ChatTemplateOptions } from "./chatTemplateRenderer.js";
export { decodeUnicodeEscapes } from "./decodeUnicodeEscapes.js";
export { formatPython } from "./formatPython.js";
export { FormatError } from "./FormatError.js";
export {
  DEFAULT_MODEL_CONFIG_DIR,
  loadModelConfigs,
  MODEL_CONFIGS_FILE,
  type ModelConfigEntry,
  type ModelConfigs,
} from "./loadModelConfigs.js";
export { makeConversation } from "./makeConversation.js";
export { matchModelConfig, type ModelMatch, type ModelMatchSource } from "./matchModelConfig.js";
export { pyFloatRepr, pyRepr, pyStr } from "./pythonRepr.js";
export { dumpModelConfig, resolveModelConfig, type ModelConfig, type ResolveModelConfigOptions } from "./resolveModelConfig.js";
export { SystemPromptFile, systemPromptText, type SystemPrompt } from "./SystemPromptFile.js";
