import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TaskError } from "../errors.js";
import { getHandler } from "./handlers/index.js";
import { parseTaskYaml } from "./taskYaml.js";
import type { Handler, TaskConfig } from "./types.js";

/** The tasks shipped with the package: `<package root>/tasks`, from both src/tasks and dist/tasks. */
export const BUILTIN_TASKS_DIR = fileURLToPath(new URL("../../tasks/", import.meta.url));

export interface TaskRegistryOptions {
  /** A folder of user task YAMLs; a task there shadows a built-in task of the same name. */
  tasksDir?: string;
}

export interface TaskInfo {
  name: string;
  file: string;
  source: "builtin" | "user";
  config: TaskConfig;
}

export interface LoadedTask {
  name: string;
  config: TaskConfig;
  handler: Handler;
  file: string;
}

const YAML_EXT = /\.ya?ml$/;

async function taskFiles(dir: string, source: TaskInfo["source"]): Promise<Map<string, { file: string; source: TaskInfo["source"] }>> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if (source === "builtin") throw e;
    throw new TaskError(`--tasks-dir ${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass a folder of task YAML files`);
  }
  const found = new Map<string, { file: string; source: TaskInfo["source"] }>();
  for (const entry of entries.filter((e) => YAML_EXT.test(e)).sort()) {
    found.set(entry.replace(YAML_EXT, ""), { file: path.join(dir, entry), source });
  }
  return found;
}

/** Every task name -> its YAML file; user tasks shadow built-in ones. */
async function taskIndex(opts: TaskRegistryOptions): Promise<Map<string, { file: string; source: TaskInfo["source"] }>> {
  const index = await taskFiles(BUILTIN_TASKS_DIR, "builtin");
  if (opts.tasksDir !== undefined) {
    for (const [name, entry] of await taskFiles(path.resolve(opts.tasksDir), "user")) index.set(name, entry);
  }
  return index;
}

async function readTask(name: string, file: string): Promise<LoadedTask> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new TaskError(`task "${name}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const { config, locate } = parseTaskYaml(text, file);
  return { name, config, handler: getHandler(config.handler, locate("handler")), file };
}

/** All tasks, sorted by name, each validated (a broken YAML throws a TaskError naming file and line). */
export async function listTasks(opts: TaskRegistryOptions = {}): Promise<TaskInfo[]> {
  const index = await taskIndex(opts);
  const names = [...index.keys()].sort();
  const infos: TaskInfo[] = [];
  for (const name of names) {
    const { file, source } = index.get(name)!;
    const { config } = await readTask(name, file);
    infos.push({ name, file, source, config });
  }
  return infos;
}

/**
 * A task by name (the YAML file stem), or by the path of a YAML file. Unknown names list the
 * known ones.
 */
export async function loadTask(name: string, opts: TaskRegistryOptions = {}): Promise<LoadedTask> {
  if (YAML_EXT.test(name)) {
    const file = path.resolve(name);
    return readTask(path.basename(file).replace(YAML_EXT, ""), file);
  }
  const index = await taskIndex(opts);
  const entry = index.get(name);
  if (!entry) {
    const where = opts.tasksDir === undefined ? "" : ` (built-in and ${opts.tasksDir})`;
    throw new TaskError(`unknown task "${name}"; known tasks${where}: ${[...index.keys()].sort().join(", ")}`);
  }
  return readTask(name, entry.file);
}
