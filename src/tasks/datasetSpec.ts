import type { DatasetSpec } from "../data/index.js";
import type { TaskConfig } from "./types.js";

/** What src/data needs to load a task's rows: upstream's load_dataset arguments from the YAML. */
export function taskDatasetSpec(config: TaskConfig): DatasetSpec {
  return { path: config.dataset_path, subset: config.dataset_subset, split: config.dataset_split, kwargs: config.dataset_kwargs };
}
