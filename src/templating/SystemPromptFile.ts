/**
 * A system prompt kept in a file (`{path: system_prompts/prime.txt}` in model_configs.yaml),
 * upstream's StringInFile. Its text is read when the config is loaded; serialising it (JSON, the
 * run-config dump and hash) gives `{path}` only, as upstream dumps it.
 */
export class SystemPromptFile {
  readonly #text: string;

  constructor(
    /** As written in the YAML: relative to the folder of model_configs.yaml. */
    readonly path: string,
    text: string,
  ) {
    this.#text = text;
  }

  get text(): string {
    return this.#text;
  }

  toJSON(): { path: string } {
    return { path: this.path };
  }
}

export type SystemPrompt = string | SystemPromptFile;

/** The text a system prompt sends: the string itself or the file's full text. */
export function systemPromptText(prompt: SystemPrompt | null | undefined): string | undefined {
  if (prompt === null || prompt === undefined) return undefined;
  return typeof prompt === "string" ? prompt : prompt.text;
}
