/**
 * Whether a model is one of OpenAI's o1/o3 reasoning models, which take only user messages and no
 * sampling settings: its name (the last path segment of the model id, as upstream's openai backend
 * reads it) starts with "o1" or "o3". The one rule for the top_p reset of `--sampling-params` and
 * for the OpenAI request body (upstream used `--model` starting with "openai/o1" for the first;
 * docs/differences.md).
 */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^o[13]/.test(model.slice(model.lastIndexOf("/") + 1));
}
