import type { PromptRenderer } from "../backends/index.js";
import { ConfigError } from "../errors.js";

// Text no template adds by itself: it must come back out of the rendering.
const PROBE = "skythought-chat-template-probe-7f3a";

/**
 * Checks that a chat template renders the messages it is given: a one-message conversation must
 * render, and its text must appear in the output. Any text parses as a Jinja template (a JSONL file
 * renders to itself), so without this a wrong file would become the literal prompt of every sample.
 *
 * @param source how the user gave it, for the message ("--chat-template FILE", "the GGUF's chat template")
 * @throws ConfigError naming the source and what to pass instead
 */
export function checkChatTemplate(render: PromptRenderer, source: string): void {
  let text: string;
  try {
    text = render([{ role: "user", content: PROBE }], { continueFinalMessage: false });
  } catch (e) {
    throw new ConfigError(`${source} cannot render a one-message conversation (${(e as Error).message}); pass a Jinja chat template`);
  }
  if (!text.includes(PROBE)) {
    throw new ConfigError(
      `${source} is not a chat template: it does not print the messages it is given (a test message did not appear in its ` +
        "output), so every sample would get the same prompt. Pass a Jinja chat template that loops over `messages`, such as " +
        "a model's chat_template.jinja or a GGUF's tokenizer.chat_template",
    );
  }
}
