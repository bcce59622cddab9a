import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { PromptRenderer } from "../backends/index.js";
import { ConfigError } from "../errors.js";
import { readGgufMetadata } from "../gguf/index.js";
import { chatTemplateRenderer, loadModelConfigs, resolveModelConfig, type ChatTemplateOptions, type ModelConfig } from "../templating/index.js";
import { checkChatTemplate } from "./checkChatTemplate.js";
import { fileSha256 } from "./fileSha256.js";
import { matchModelConfig } from "./matchModelConfig.js";
import { modelRunName, resolveModelPath } from "./modelSource.js";

export interface ModelSetupInput {
  model: string;
  /** "llama" reads a GGUF; other backends take the model name as is. */
  local: boolean;
  modelId?: string | undefined;
  systemPromptName?: string | undefined;
  systemPrompt?: string | undefined;
  assistantPrefill?: string | undefined;
  chatTemplate?: string | undefined;
  modelsDir?: string | undefined;
  modelsConfigDir?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Upstream's warnings (an unknown model without a system prompt). */
  onWarning?: ((message: string) => void) | undefined;
  /** Progress of an `hf:` download, in bytes. */
  onDownload?: ((downloadedBytes: number, totalBytes: number) => void) | undefined;
  /** What is being done (hashing a GGUF takes a while). */
  onStatus?: ((message: string) => void) | undefined;
}

export interface ModelSetup {
  /** `model.name` of the run config (and the folder name's first part). */
  runName: string;
  modelConfig: ModelConfig;
  /** What the backend gets as its model: the GGUF path, or the served name. */
  backendModel: string;
  renderPrompt?: PromptRenderer | undefined;
  sha256?: string | undefined;
  /** For run.json. */
  record: Record<string, unknown>;
}

/**
 * Resolves `--model` into what the run needs: for a GGUF, its path (downloading `hf:` models),
 * metadata, sha256, the model config it matches (`--model-id`, else metadata, else file name) and
 * its chat template (`--chat-template`, else the GGUF's); for a remote model, its config by name.
 */
export async function setupModel(input: ModelSetupInput): Promise<ModelSetup> {
  const configs = await loadModelConfigs(input.modelsConfigDir);
  const resolveConfig = (modelId: string) =>
    resolveModelConfig({
      modelId,
      systemPromptName: input.systemPromptName,
      systemPrompt: input.systemPrompt,
      assistantPrefill: input.assistantPrefill,
      configs,
      onWarning: input.onWarning,
    });
  const templateOverride = input.chatTemplate === undefined ? undefined : await readTemplate(input.chatTemplate);

  if (!input.local) {
    const modelConfig = await resolveConfig(input.modelId ?? input.model);
    const renderPrompt = templateOverride === undefined ? undefined : checkedRenderer(templateOverride, {}, `--chat-template ${input.chatTemplate}`);
    return {
      runName: input.model,
      modelConfig,
      backendModel: input.model,
      renderPrompt,
      record: { source: input.model, model_id: modelConfig.model_id, ...templateRecord(templateOverride, "file") },
    };
  }

  const path = await resolveModelPath(input.model, {
    modelsDir: input.modelsDir,
    signal: input.signal,
    onProgress: input.onDownload,
  });
  const meta = await readGgufMetadata(path);
  const absolute = resolve(path);
  const matched = matchModelConfig(Object.keys(configs.models), { modelId: input.modelId, metadata: meta.kv, path });
  const modelId = matched?.modelId ?? modelRunName(input.model).replace(/\.gguf$/i, "");
  const modelConfig = await resolveConfig(modelId);
  const template = templateOverride ?? meta.chatTemplate;
  if (template === undefined) {
    throw new ConfigError(`--model ${input.model}: the GGUF has no chat template (tokenizer.chat_template); pass --chat-template FILE`);
  }
  const renderPrompt = checkedRenderer(
    template,
    specialTokens(meta.kv),
    templateOverride !== undefined ? `--chat-template ${input.chatTemplate}` : `the chat template of ${input.model} (tokenizer.chat_template)`,
  );
  input.onStatus?.(`hashing ${path}`);
  const sha256 = await fileSha256(path, { signal: input.signal });
  return {
    runName: modelRunName(input.model),
    modelConfig,
    backendModel: path,
    renderPrompt,
    sha256,
    record: {
      source: input.model,
      path: absolute,
      sha256,
      size: meta.fileSize,
      model_id: modelId,
      model_id_from: matched?.from ?? "file name (no config matched)",
      architecture: meta.architecture,
      name: meta.name,
      file_type: meta.fileType,
      parameter_count: meta.parameterCount,
      context_length: meta.contextLength,
      ...templateRecord(template, templateOverride !== undefined ? "file" : "gguf"),
    },
  };
}

function checkedRenderer(template: string, tokens: ChatTemplateOptions, source: string): PromptRenderer {
  let render: PromptRenderer;
  try {
    render = chatTemplateRenderer(template, tokens);
  } catch (e) {
    throw new ConfigError(`${source}: ${(e as Error).message}`);
  }
  checkChatTemplate(render, source);
  return render;
}

async function readTemplate(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new ConfigError(`--chat-template ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function templateRecord(template: string | undefined, source: string): Record<string, unknown> {
  if (template === undefined) return {};
  return { chat_template_sha256: createHash("sha256").update(template).digest("hex"), chat_template_source: source };
}

/** BOS/EOS token texts from the GGUF vocabulary, which chat templates print. */
function specialTokens(kv: Map<string, unknown>): { bosToken?: string; eosToken?: string } {
  const tokens = kv.get("tokenizer.ggml.tokens");
  const pick = (key: string) => {
    const id = kv.get(key);
    return Array.isArray(tokens) && typeof id === "number" && typeof tokens[id] === "string" ? (tokens[id] as string) : undefined;
  };
  const bosToken = pick("tokenizer.ggml.bos_token_id");
  const eosToken = pick("tokenizer.ggml.eos_token_id");
  return { ...(bosToken !== undefined ? { bosToken } : {}), ...(eosToken !== undefined ? { eosToken } : {}) };
}
