import { parse as parseYaml } from "yaml";
import { DataError } from "../errors.js";
import { rowFormatOf } from "./formats.js";
import { getJson, httpGet, type HttpOptions } from "./http.js";

export interface HubEndpoints {
  /** The Hub (`HF_ENDPOINT`), for revision-pinned loads. */
  hub: string;
  /** The dataset viewer API that lists the Hub's parquet export. */
  datasetsServer: string;
}

export interface HubFile {
  url: string;
  /** Path inside the repository or export, for the format and error messages. */
  path: string;
}

export interface ResolvedSplit {
  config: string;
  files: HubFile[];
}

interface ParquetListing {
  parquet_files?: { config: string; split: string; url: string; filename: string }[];
}

/**
 * The parquet export of a split (datasets-server `/parquet`), shards in file-name order, which is
 * the split's row order. A null config picks the only one, else "default", as `datasets` does.
 */
export async function resolveParquetExport(
  dataset: string,
  config: string | null,
  split: string,
  endpoints: HubEndpoints,
  http: HttpOptions,
): Promise<ResolvedSplit> {
  const what = `dataset ${dataset}`;
  const listing = (await getJson(`${endpoints.datasetsServer}/parquet?dataset=${encodeURIComponent(dataset)}`, what, http)) as ParquetListing;
  const files = listing.parquet_files ?? [];
  const configs = [...new Set(files.map((f) => f.config))];
  const chosen = config ?? (configs.length === 1 ? configs[0]! : "default");
  const shards = files.filter((f) => f.config === chosen && f.split === split).sort((a, b) => a.filename.localeCompare(b.filename));
  if (shards.length === 0) {
    const available = files.map((f) => `${f.config}/${f.split}`);
    throw new DataError(
      `${what}: no parquet export for config "${chosen}", split "${split}"; available: ${[...new Set(available)].join(", ") || "none"}; fix dataset_subset/dataset_split or pass --data-file`,
    );
  }
  // Splits too big to convert whole are exported as their first rows, under "partial-<split>/".
  if (shards.some((f) => f.url.includes("/partial-"))) {
    throw new DataError(`${what}: the Hub's parquet export of ${chosen}/${split} is partial (only its first rows); pass --data-file with the full split`);
  }
  return { config: chosen, files: shards.map((f) => ({ url: f.url, path: `${f.config}/${f.split}/${f.filename}` })) };
}

/** A file of a dataset repository at a revision (the Hub's `resolve` URL). */
export function hubFile(endpoints: HubEndpoints, dataset: string, revision: string, path: string): HubFile {
  const segments = path.split("/").map(encodeURIComponent).join("/");
  return { path, url: `${endpoints.hub}/datasets/${dataset}/resolve/${encodeURIComponent(revision)}/${segments}` };
}

/**
 * The raw data files of a split at a pinned revision (the parquet export only covers the main
 * branch): the README's `configs:` data_files when declared, else `datasets`' default split-name
 * patterns (a path segment named after the split, optionally followed by -, _, . or digits).
 */
export async function resolveRevisionFiles(
  dataset: string,
  config: string | null,
  split: string,
  revision: string,
  endpoints: HubEndpoints,
  http: HttpOptions,
): Promise<ResolvedSplit> {
  const what = `dataset ${dataset} at revision ${revision}`;
  const rev = encodeURIComponent(revision);
  const paths = await listRepoFiles(`${endpoints.hub}/api/datasets/${dataset}/tree/${rev}?recursive=true`, what, http);
  const chosen = config ?? "default";
  const patterns = paths.includes("README.md") ? await readmePatterns(hubFile(endpoints, dataset, revision, "README.md").url, chosen, split, what, http) : null;
  const matchers = (patterns ?? [`**/${split}[-._0-9]*`, `**/${split}/**`, `${split}[-._0-9]*`, `${split}/**`]).map(globToRegExp);
  const files = paths.filter((p) => rowFormatOf(p) !== undefined && matchers.some((m) => m.test(p))).sort();
  if (files.length === 0) {
    throw new DataError(`${what}: no data files for config "${chosen}", split "${split}"; fix dataset_subset/dataset_split or pass --data-file`);
  }
  return { config: chosen, files: files.map((p) => hubFile(endpoints, dataset, revision, p)) };
}

async function listRepoFiles(url: string, what: string, http: HttpOptions): Promise<string[]> {
  const paths: string[] = [];
  let next: string | null = url;
  while (next) {
    const response = await httpGet(next, what, http);
    const entries = (await response.json()) as { type: string; path: string }[];
    for (const entry of entries) if (entry.type === "file") paths.push(entry.path);
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1] ?? null;
  }
  return paths;
}

/** data_files patterns of one config and split from the dataset card's YAML header, or null. */
async function readmePatterns(url: string, config: string, split: string, what: string, http: HttpOptions): Promise<string[] | null> {
  const readme = await (await httpGet(url, what, http)).text();
  const header = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme)?.[1];
  if (!header) return null;
  const card = parseYaml(header) as { configs?: { config_name?: string; data_files?: unknown }[] } | null;
  const entry = card?.configs?.find((c) => (c.config_name ?? "default") === config);
  if (!entry) return null;
  const dataFiles = entry.data_files;
  if (typeof dataFiles === "string") return split === "train" ? [dataFiles] : [];
  if (!Array.isArray(dataFiles)) return null;
  const forSplit = dataFiles.find((d: { split?: string }) => d.split === split) as { path?: string | string[] } | undefined;
  if (!forSplit?.path) return [];
  return Array.isArray(forSplit.path) ? forSplit.path : [forSplit.path];
}

/** fnmatch-style globs as the Hub uses them: `**` crosses folders, `*` and `?` do not. */
function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i);
      re += close > i ? glob.slice(i, close + 1) : "\\[";
      if (close > i) i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
