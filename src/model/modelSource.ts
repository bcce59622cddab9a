import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { ConfigError, DiskFullError } from "../errors.js";
import { makeDirectory } from "../makeDirectory.js";

export interface ModelSourceOptions {
  /** Download folder for `hf:` models (node-llama-cpp's default models folder otherwise). */
  modelsDir?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (downloadedBytes: number, totalBytes: number) => void;
}

const NETWORK_CODES = ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH"];

/**
 * The local GGUF file for `--model`: a path as given, or `hf:owner/repo[:quant]` resolved and
 * downloaded (once, into a cache folder) by node-llama-cpp's model resolver.
 */
export async function resolveModelPath(model: string, opts: ModelSourceOptions = {}): Promise<string> {
  if (model.startsWith("hf:")) return download(model, opts);
  let isFile: boolean;
  try {
    isFile = (await stat(model)).isFile();
  } catch {
    throw new ConfigError(`--model ${model}: no such file; pass the path of a .gguf file or hf:owner/repo[:quant]`);
  }
  if (!isFile) throw new ConfigError(`--model ${model}: not a file; pass the path of a .gguf file or hf:owner/repo[:quant]`);
  return model;
}

async function download(uri: string, opts: ModelSourceOptions): Promise<string> {
  // Created here: node-llama-cpp's own recursive mkdir would spin forever under /proc.
  if (opts.modelsDir !== undefined) {
    try {
      await makeDirectory(opts.modelsDir);
    } catch (e) {
      if (e instanceof DiskFullError) throw e;
      throw new ConfigError(`--models-dir ${opts.modelsDir}: cannot create it (${(e as Error).message}); choose another folder`);
    }
  }
  // Loaded on demand: node-llama-cpp's entry point is large and only hf: models need it.
  const { resolveModelFile } = await import("node-llama-cpp");
  try {
    return await resolveModelFile(uri, {
      ...(opts.modelsDir !== undefined ? { directory: opts.modelsDir } : {}),
      cli: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: (s: { downloadedSize: number; totalSize: number }) => opts.onProgress!(s.downloadedSize, s.totalSize) } : {}),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = err.code ?? err.cause?.code ?? "";
    if (code === "ENOSPC" || code === "EDQUOT") throw new DiskFullError(err.path ?? opts.modelsDir ?? uri);
    if (NETWORK_CODES.includes(code) || /fetch failed|network|getaddrinfo/i.test(err.message)) {
      throw new ConfigError(
        `--model ${uri}: cannot reach Hugging Face to download it (no network: ${code || err.message}); ` +
          `connect, or download the .gguf elsewhere and pass its path`,
      );
    }
    throw new ConfigError(`--model ${uri}: cannot resolve the model (${err.message}); check owner/repo and the quant name`);
  }
}

/** The name a local model gets in the run config and folder name: its file name for a path. */
export function modelRunName(model: string): string {
  return model.startsWith("hf:") ? model : basename(model);
}

