import type { ChatMessage } from "../backends/index.js";
import { formatPython } from "../py/index.js";
import { systemPromptText } from "./SystemPromptFile.js";
import type { ModelConfig } from "./resolveModelConfig.js";

/**
 * Upstream's make_conversation_from_contents (spec 4.2): the system prompt if non-empty, the
 * prompt text through the model's user template (positional str.format), and the assistant
 * prefill, if any, as the last message. The pipeline hands that last message to the backend as
 * GenerationRequest.assistantPrefill (continue_final_message); results.json keeps the whole list.
 */
export function makeConversation(promptText: string, config: ModelConfig): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = systemPromptText(config.system_prompt);
  if (system) messages.push({ role: "system", content: system });
  const user = config.user_template ? formatPython(config.user_template, [promptText]) : promptText;
  messages.push({ role: "user", content: user });
  if (config.assistant_prefill) messages.push({ role: "assistant", content: config.assistant_prefill });
  return messages;
}
