import { createHash } from "node:crypto";
import type { ChatMessage, PromptRenderer } from "../backends/index.js";

/**
 * The identity of the prompt a problem's samples answer (samples.jsonl's `prompt_hash`): the first
 * 16 hex digits of the sha256 of the text the model reads. That is the chat template's rendering
 * when this side renders (llama, openai with a chat template), else the messages as JSON (the
 * server applies its own template). So the row, the task's template, the system prompt, the
 * prefill and the chat template all change it, and a resumed run cannot pair old responses with
 * new questions.
 */
export function promptHash(conversation: readonly ChatMessage[], render: PromptRenderer | undefined): string {
  return createHash("sha256").update(promptText(conversation, render)).digest("hex").slice(0, 16);
}

function promptText(conversation: readonly ChatMessage[], render: PromptRenderer | undefined): string {
  const messages = conversation.map((m) => ({ role: m.role, content: m.content }));
  if (render) {
    try {
      return render(messages, { continueFinalMessage: messages[messages.length - 1]?.role === "assistant" });
    } catch {
      // The backend fails this request on its own (an error sample, retried on resume, whose hash
      // is never compared); the messages still identify it.
    }
  }
  return JSON.stringify(messages);
}
