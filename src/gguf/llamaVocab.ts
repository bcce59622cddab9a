import { join } from "node:path";
import { readGgufMetadata } from "./readGgufMetadata.js";
import type { GgufKv } from "./types.js";

interface LlamaSourceModule {
  llamaSourceDir(): string;
}

/**
 * The vocab-only GGUF files shipped in the pinned llama.cpp source (models/ggml-vocab-*.gguf).
 * native/build/llama-source.mjs unpacks that source; it sits at the package root, two folders up
 * from both src/gguf and dist/gguf.
 */
export async function llamaVocabFile(name: string): Promise<string> {
  const url = new URL("../../native/build/llama-source.mjs", import.meta.url);
  const source = (await import(url.href)) as LlamaSourceModule;
  return join(source.llamaSourceDir(), "models", `ggml-vocab-${name}.gguf`);
}

/** Every tokenizer.* KV pair of a GGUF file except its chat template. */
export async function tokenizerKvFrom(path: string): Promise<GgufKv[]> {
  const meta = await readGgufMetadata(path);
  return meta.entries.filter((e) => e.key.startsWith("tokenizer.") && e.key !== "tokenizer.chat_template");
}
