import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { SystemPromptFile, type SystemPrompt } from "./SystemPromptFile.js";

/** The package's models/ folder (two levels up from src/templating and from dist/templating). */
export const DEFAULT_MODEL_CONFIG_DIR = fileURLToPath(new URL("../../models/", import.meta.url));
export const MODEL_CONFIGS_FILE = "model_configs.yaml";

const PromptSchema = z.union([z.string(), z.strictObject({ path: z.string() })]);

const EntrySchema = z.strictObject({
  name: z.string().nullish(),
  system_prompt: PromptSchema.nullish(),
  user_template: z.string().nullish(),
  assistant_prefill: z.string().nullish(),
});

const FileSchema = z.strictObject({
  system_prompts: z.record(z.string(), PromptSchema).nullish(),
  user_templates: z.record(z.string(), z.string()).nullish(),
  models: z.record(z.string(), EntrySchema.nullish()).nullish(),
});

export interface ModelConfigEntry {
  name?: string | null;
  system_prompt?: SystemPrompt | null;
  user_template?: string | null;
  assistant_prefill?: string | null;
}

export interface ModelConfigs {
  /** The YAML file these came from. */
  file: string;
  /** Named system prompts (--system-prompt-name), file prompts already read. */
  systemPrompts: Record<string, SystemPrompt>;
  userTemplates: Record<string, string>;
  /** Pre-configured models by model id. */
  models: Record<string, ModelConfigEntry>;
}

/**
 * Loads `<dir>/model_configs.yaml` (default: the package's models/), upstream's
 * MODEL_CONFIGS / SYSTEM_PROMPT_TEMPLATES: YAML anchors resolved, `{path}` prompts read from files
 * relative to that folder, every key checked.
 */
export async function loadModelConfigs(dir: string = DEFAULT_MODEL_CONFIG_DIR): Promise<ModelConfigs> {
  const file = resolve(dir, MODEL_CONFIGS_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new ConfigError(`model configs ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the models folder`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new ConfigError(`model configs ${file} is not valid YAML: ${(e as Error).message}`);
  }
  const parsed = FileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`model configs ${file}: key "${issue.path.join(".")}": ${issue.message}`);
  }
  const readPrompt = (p: z.infer<typeof PromptSchema>, key: string) => loadPrompt(p, dir, `${file}: ${key}`);
  const systemPrompts: Record<string, SystemPrompt> = {};
  for (const [name, p] of Object.entries(parsed.data.system_prompts ?? {})) {
    systemPrompts[name] = await readPrompt(p, `system_prompts.${name}`);
  }
  const models: Record<string, ModelConfigEntry> = {};
  for (const [id, entry] of Object.entries(parsed.data.models ?? {})) {
    const { system_prompt, ...rest } = entry ?? {};
    models[id] = {
      ...rest,
      ...(system_prompt === undefined ? {} : { system_prompt: system_prompt === null ? null : await readPrompt(system_prompt, `models.${id}.system_prompt`) }),
    };
  }
  return { file, systemPrompts, userTemplates: parsed.data.user_templates ?? {}, models };
}

async function loadPrompt(p: string | { path: string }, dir: string, where: string): Promise<SystemPrompt> {
  if (typeof p === "string") return p;
  try {
    return new SystemPromptFile(p.path, await readFile(join(dir, p.path), "utf8"));
  } catch {
    throw new ConfigError(`${where}: Invalid path ${p.path} (no such file relative to ${dir})`);
  }
}
