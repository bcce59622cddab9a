import { Template } from "@huggingface/jinja";
import type { ChatMessage, PromptRenderer } from "../backends/index.js";
import { ConfigError } from "../errors.js";

export interface ChatTemplateOptions {
  bosToken?: string | undefined;
  eosToken?: string | undefined;
}

/**
 * Renders conversations with a Jinja chat template the way Hugging Face transformers'
 * apply_chat_template does (what vLLM, and so upstream, uses): the template gets `messages`,
 * `add_generation_prompt`, `tools` (None) and the special tokens. With `continueFinalMessage` it
 * renders without a generation prompt and cuts the text right after the final message's content,
 * so the model continues that message (an assistant prefill).
 */
export function chatTemplateRenderer(template: string, opts: ChatTemplateOptions = {}): PromptRenderer {
  let compiled: Template;
  try {
    compiled = new Template(template);
  } catch (e) {
    throw new ConfigError(`the chat template cannot be parsed (${(e as Error).message}); pass a valid one with --chat-template FILE`);
  }
  return (messages, { continueFinalMessage }) => {
    if (continueFinalMessage && messages[messages.length - 1]?.role !== "assistant") {
      throw new ConfigError("continueFinalMessage needs an assistant message last (the prefill to continue)");
    }
    const rendered = render(compiled, messages, !continueFinalMessage, opts);
    return continueFinalMessage ? cutAfterFinalMessage(rendered, messages[messages.length - 1]!.content) : rendered;
  };
}

function render(compiled: Template, messages: ChatMessage[], addGenerationPrompt: boolean, opts: ChatTemplateOptions): string {
  try {
    return compiled.render({
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: addGenerationPrompt,
      tools: null,
      documents: null,
      // llama.cpp's copies of reasoning templates close the think block unless this is set;
      // real templates either ignore it or treat true as their default.
      enable_thinking: true,
      bos_token: opts.bosToken ?? "",
      eos_token: opts.eosToken ?? "",
    });
  } catch (e) {
    throw new ConfigError(`the chat template failed to render: ${(e as Error).message}`);
  }
}

/** transformers' continue_final_message cut (tokenization_utils_base.apply_chat_template). */
function cutAfterFinalMessage(rendered: string, finalMessage: string): string {
  const stripped = finalMessage.trim();
  const at = rendered.lastIndexOf(stripped);
  if (at < 0) {
    throw new ConfigError(
      "continue_final_message is set but the final message does not appear in the chat after applying the chat template! " +
        "This can happen if the chat template deletes portions of the final message; drop the assistant prefill or use another template",
    );
  }
  const lstripped = finalMessage.trimStart();
  const keepsSpacing = rendered.slice(at, at + lstripped.length) === finalMessage;
  return rendered.slice(0, at + (keepsSpacing ? lstripped.length : stripped.length));
}
