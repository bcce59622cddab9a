import { parseKeyValues } from "../config/index.js";
import { ConfigError } from "../errors.js";
import { fromPlain, toPlain } from "../py/index.js";
import { TaskConfigSchema, type TaskConfig } from "./types.js";

/**
 * `generate --task-args`: each key replaces that field of the TaskConfig before the run config is
 * built (so it is part of the hash), e.g. "{'preprocess_config': {'difficulty': 'easy'}}". Upstream
 * assigns without validation; an unknown field is an error here, as pydantic raises on it.
 */
export function applyTaskArgs(config: TaskConfig, taskArgs: string | Record<string, unknown>): TaskConfig {
  const args = typeof taskArgs === "string" ? parseKeyValues(taskArgs, "--task-args") : fromPlain(taskArgs);
  const fields = Object.keys(TaskConfigSchema.shape);
  const next: Record<string, unknown> = { ...config };
  for (const [key, value] of args) {
    if (!fields.includes(key)) {
      throw new ConfigError(`--task-args: unknown TaskConfig field "${key}"; valid fields are ${fields.join(", ")}`);
    }
    next[key] = toPlain(value);
  }
  return next as TaskConfig;
}
