import xxhash from "xxhash-wasm";
import { packb } from "../py/index.js";

/** Mappings become `[key, value]` pair arrays in insertion order, as upstream does before hashing. */
function toPairs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPairs);
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, toPairs(v)]);
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    return Object.entries(value).map(([k, v]) => [k, toPairs(v)]);
  }
  return value;
}

let api: Promise<Awaited<ReturnType<typeof xxhash>>> | undefined;

/** The 8-digit xxHash32 (seed 0) of the run config's msgpack, lowercase hex (spec 2.6). */
export async function runConfigDigest(config: unknown): Promise<string> {
  api ??= xxhash();
  const h = (await api).h32Raw(packb(toPairs(config)), 0);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Upstream's run folder name: `<model with "/" as "_">_<task>_<first 6 hex digits>`. */
export async function runFolderName(modelName: string, taskName: string, config: unknown): Promise<string> {
  const digest = await runConfigDigest(config);
  return `${modelName.replaceAll("/", "_")}_${taskName}_${digest.slice(0, 6)}`;
}
