import { basename } from "node:path";

export interface ModelMatch {
  modelId: string;
  from: "--model-id" | "gguf metadata" | "file name";
}

export interface ModelMatchSource {
  /** An explicit --model-id wins, configured or not. */
  modelId?: string | undefined;
  /** GGUF KV metadata (readGgufMetadata(...).kv). */
  metadata?: ReadonlyMap<string, unknown> | undefined;
  /** The GGUF file path. */
  path?: string | undefined;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Which configured model a GGUF is: --model-id, else its own identity in the metadata
 * (general.source.huggingface.repository / general.source.url, general.name, then
 * basename + size_label + finetune), else its file name. Names compare without case and
 * punctuation: equal first, then the longest configured name the text starts with. The
 * general.base_model.* keys are not used: they name the model a GGUF was trained from (QwQ's
 * is Qwen2.5-32B-Instruct), whose system prompt is not its own.
 */
export function matchModelConfig(modelIds: readonly string[], source: ModelMatchSource): ModelMatch | undefined {
  if (source.modelId) return { modelId: source.modelId, from: "--model-id" };
  const keyed = modelIds.map((id) => ({ id, full: norm(id), short: norm(id.split("/").pop() ?? id) }));
  const byName = (text: string | undefined, prefix: boolean): string | undefined => {
    if (!text) return undefined;
    const t = norm(text);
    if (!t) return undefined;
    const exact = keyed.find((k) => k.full === t || k.short === t);
    if (exact || !prefix) return exact?.id;
    return keyed.filter((k) => k.short && t.startsWith(k.short)).sort((a, b) => b.short.length - a.short.length)[0]?.id;
  };
  const kv = source.metadata;
  const str = (key: string) => {
    const v = kv?.get(key);
    return typeof v === "string" ? v : undefined;
  };
  const fromMetadata =
    byName(str("general.source.huggingface.repository"), false) ??
    byName(repoFromUrl(str("general.source.url")), false) ??
    byName(str("general.name"), true) ??
    byName([str("general.basename"), str("general.size_label"), str("general.finetune")].filter(Boolean).join("-"), false);
  if (fromMetadata) return { modelId: fromMetadata, from: "gguf metadata" };
  const fromFile = source.path ? byName(basename(source.path).replace(/\.gguf$/i, ""), true) : undefined;
  return fromFile ? { modelId: fromFile, from: "file name" } : undefined;
}

/** "https://huggingface.co/Qwen/QwQ-32B-Preview" -> "Qwen/QwQ-32B-Preview" */
function repoFromUrl(url: string | undefined): string | undefined {
  const m = url && /huggingface\.co\/([^/]+\/[^/?#]+)/.exec(url);
  return m ? m[1] : undefined;
}
