/** Dataset rows: the Hugging Face Hub (parquet export, cached on disk), dataset URLs, and local files. */
import { DataError } from "../errors.js";
import { defaultCacheDir } from "./cache.js";
import { readDataFile } from "./dataFile.js";
import { loadHubRows, loadUrlRows, type RemoteOptions } from "./remote.js";
import type { DatasetSpec, Row } from "./types.js";

export { dataFileSha256, readDataFile } from "./dataFile.js";
export { defaultCacheDir } from "./cache.js";
export type { DatasetSpec, LoadRows, Row } from "./types.js";

export interface LoadRowsOptions {
  /** Local rows (JSONL, JSON, CSV, Parquet) used instead of the dataset the spec names. */
  dataFile?: string;
  /** Cache root; default SKYTHOUGHT_DATASETS_CACHE or ~/.cache/skythought/datasets. */
  cacheDir?: string;
  /** Never touch the network; default from HF_HUB_OFFLINE / HF_DATASETS_OFFLINE. */
  offline?: boolean;
  /** Hub token; default HF_TOKEN (or HUGGING_FACE_HUB_TOKEN). */
  token?: string;
  /** Default HF_ENDPOINT or https://huggingface.co. */
  hubEndpoint?: string;
  /** Default https://datasets-server.huggingface.co. */
  datasetsServerEndpoint?: string;
  fetch?: typeof fetch;
}

const TRUTHY = new Set(["1", "true", "yes", "on"]);

function envOffline(): boolean {
  return ["HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"].some((k) => TRUTHY.has((process.env[k] ?? "").toLowerCase()));
}

/** urlparse(...).scheme is non-empty (upstream's test for "this is a URL dataset"). */
function isUrl(path: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path);
}

function remoteOptions(opts: LoadRowsOptions): RemoteOptions {
  const token = opts.token ?? process.env["HF_TOKEN"] ?? process.env["HUGGING_FACE_HUB_TOKEN"];
  return {
    cacheDir: opts.cacheDir ?? defaultCacheDir(),
    offline: opts.offline ?? envOffline(),
    endpoints: {
      hub: (opts.hubEndpoint ?? process.env["HF_ENDPOINT"] ?? "https://huggingface.co").replace(/\/+$/, ""),
      datasetsServer: (opts.datasetsServerEndpoint ?? "https://datasets-server.huggingface.co").replace(/\/+$/, ""),
    },
    http: { fetch: opts.fetch ?? globalThis.fetch, ...(token ? { token } : {}) },
  };
}

/**
 * Every row of the split in the source's order, each with `_index` (its position, as a string)
 * appended last, before any handler filtering, as upstream does.
 */
export async function loadRows(spec: DatasetSpec, opts: LoadRowsOptions = {}): Promise<Row[]> {
  let rows: Record<string, unknown>[];
  if (opts.dataFile !== undefined) {
    rows = await readDataFile(opts.dataFile);
  } else if (isUrl(spec.path)) {
    if (spec.split != null || spec.subset != null) {
      throw new DataError(`dataset ${spec.path}: a URL dataset does not support dataset_split or dataset_subset; set both to null`);
    }
    rows = await loadUrlRows(spec.path, remoteOptions(opts));
  } else {
    rows = await loadHubRows(spec, remoteOptions(opts));
  }
  return rows.map((row, i) => {
    const { _index: _previous, ...rest } = row;
    return { ...rest, _index: String(i) };
  });
}
