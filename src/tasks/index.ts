/** Tasks: the YAML registry, the handlers, and `--task-args`. */
export { BUILTIN_TASKS_DIR, listTasks, loadTask } from "./registry.js";
export type { LoadedTask, TaskInfo, TaskRegistryOptions } from "./registry.js";
export { handlerNames, handlers } from "./handlers/index.js";
export { taskDatasetSpec } from "./datasetSpec.js";
export { applyTaskArgs } from "./applyTaskArgs.js";
export { parseTaskYaml } from "./taskYaml.js";
export { TaskConfigSchema } from "./types.js";
export type { Handler, PromptContext, Score, SelectOptions, TaskConfig } from "./types.js";
