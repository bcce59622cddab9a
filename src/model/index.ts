/**
 * The model a run uses: `--model` resolved to a GGUF (downloading `hf:` models) or a served name,
 * the GGUF's metadata and sha256, the model config it matches, and its chat template.
 */
export { setupModel, type ModelSetup, type ModelSetupInput } from "./setupModel.js";
export { matchModelConfig, type ModelMatch, type ModelMatchSource } from "./matchModelConfig.js";
