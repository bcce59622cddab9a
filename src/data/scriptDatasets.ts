import { DataError } from "../errors.js";

/**
 * Hub datasets that upstream loads through a loading script (`trust_remote_code`). The Hub's
 * parquet export does not cover them (or not per `version_tag`), so their raw files are read the
 * way the script reads them: which files, in which order, for the given dataset_kwargs.
 */
export interface ScriptFiles {
  /** Stands in for the config in the cache key (the script's BuilderConfig name). */
  config: string;
  /** Repository paths, in the script's order. */
  files: string[];
}

/** livecodebench/code_generation_lite's ALLOWED_FILES: release_vN is cumulative, vN one file, vN_vM a range. */
function liveCodeBenchFiles(): Map<string, string[]> {
  const file = (i: number) => (i === 1 ? "test.jsonl" : `test${i}.jsonl`);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => file(from + k));
  const latest = 6;
  const tags = new Map<string, string[]>();
  for (let n = 1; n <= latest; n++) tags.set(`release_v${n}`, range(1, n));
  tags.set("release_latest", range(1, latest));
  for (let n = 1; n <= latest; n++) tags.set(`v${n}`, [file(n)]);
  for (let a = 1; a <= latest; a++) for (let b = a + 1; b <= latest; b++) tags.set(`v${a}_v${b}`, range(a, b));
  return tags;
}

const SCRIPTS: Record<string, (split: string, kwargs: Record<string, unknown>) => ScriptFiles> = {
  "livecodebench/code_generation_lite": (split, kwargs) => {
    const tag = kwargs["version_tag"] ?? "release_latest";
    const tags = liveCodeBenchFiles();
    const files = typeof tag === "string" ? tags.get(tag) : undefined;
    if (!files) {
      throw new DataError(`livecodebench/code_generation_lite: unknown dataset_kwargs.version_tag ${JSON.stringify(tag)}; use one of ${[...tags.keys()].join(", ")}`);
    }
    if (split !== "test") throw new DataError(`livecodebench/code_generation_lite has only a "test" split, not "${split}"; set dataset_split: test`);
    return { config: tag as string, files };
  },
};

/** The files a loading-script dataset reads, or null for a dataset without a known script. */
export function scriptDataFiles(dataset: string, split: string, kwargs: Record<string, unknown> = {}): ScriptFiles | null {
  const script = SCRIPTS[dataset];
  return script ? script(split, kwargs) : null;
}
