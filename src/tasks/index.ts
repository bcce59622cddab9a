/** Tasks: the YAML registry, the handlers, and the generator GPQA shuffles with. */
export { BUILTIN_TASKS_DIR, listTasks, loadTask } from "./registry.js";
export type { LoadedTask, TaskInfo, TaskRegistryOptions } from "./registry.js";
export { handlerNames, handlers } from "./handlers/index.js";
export { createPythonRandom } from "./pythonRandom.js";
export { taskDatasetSpec } from "./datasetSpec.js";
export type { PythonRandom } from "./pythonRandom.js";
export { parseTaskYaml } from "./taskYaml.js";
export { TaskConfigSchema } from "./types.js";
export type { Handler, PromptContext, Row, Score, SelectOptions, TaskConfig } from "./types.js";
