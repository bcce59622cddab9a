import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { ChatMessage } from "../../src/backends/types.js";
import { chatTemplateRenderer } from "../../src/templating/index.js";

// Verbatim copies of the templates in the pinned llama.cpp's models/templates/.
const template = (name: string) => readFileSync(new URL(`../fixtures/chat-templates/${name}.jinja`, import.meta.url), "utf8");

const system: ChatMessage = { role: "system", content: "You are helpful." };
const user: ChatMessage = { role: "user", content: "What is 1+1?" };
const think: ChatMessage = { role: "assistant", content: "<think>\n" };
const gen = { continueFinalMessage: false };
const cont = { continueFinalMessage: true };

describe("QwQ-32B", () => {
  const render = chatTemplateRenderer(template("Qwen-QwQ-32B"));
  test("system + user, generation prompt opens the think block", () => {
    expect(render([system, user], gen)).toBe(
      "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n<think>\n",
    );
  });
  test("no system prompt: none is added", () => {
    expect(render([user], gen)).toBe("<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n<think>\n");
  });
  test("prefill is continued, not closed", () => {
    expect(render([user, { role: "assistant", content: "Let me think." }], cont)).toBe(
      "<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\nLet me think.",
    );
  });
});

describe("DeepSeek-R1-Distill-Qwen", () => {
  const render = chatTemplateRenderer(template("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B"), {
    bosToken: "<｜begin▁of▁sentence｜>",
    eosToken: "<｜end▁of▁sentence｜>",
  });
  test("system + user: BOS text, system inline, <think> opened", () => {
    expect(render([system, user], gen)).toBe("<｜begin▁of▁sentence｜>You are helpful.<｜User｜>What is 1+1?<｜Assistant｜><think>\n");
  });
  test("with the <think>\\n prefill the prompt ends inside it", () => {
    expect(render([system, user, think], cont)).toBe("<｜begin▁of▁sentence｜>You are helpful.<｜User｜>What is 1+1?<｜Assistant｜><think>\n");
  });
  test("prefill text without a system prompt", () => {
    expect(render([user, { role: "assistant", content: "Let me think." }], cont)).toBe(
      "<｜begin▁of▁sentence｜><｜User｜>What is 1+1?<｜Assistant｜>Let me think.",
    );
  });
});

describe("Qwen2.5-Instruct", () => {
  const render = chatTemplateRenderer(template("Qwen-Qwen2.5-7B-Instruct"));
  test("system + user", () => {
    expect(render([system, user], gen)).toBe(
      "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n",
    );
  });
  test("no system prompt: the template's default one", () => {
    expect(render([user], gen)).toBe(
      "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n" +
        "<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n",
    );
  });
  test("prefill keeps its trailing newline", () => {
    expect(render([system, user, think], cont)).toBe(
      "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n<think>\n",
    );
  });
});

describe("Llama-3.1-Instruct", () => {
  const render = chatTemplateRenderer(template("meta-llama-Llama-3.1-8B-Instruct"), { bosToken: "<|begin_of_text|>", eosToken: "<|eot_id|>" });
  const head = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";
  test("system + user", () => {
    expect(render([system, user], gen)).toBe(
      `${head}You are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 1+1?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
    );
  });
  test("the template trims message content, so the prefill's newline is cut as transformers does", () => {
    expect(render([system, user, think], cont)).toBe(
      `${head}You are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 1+1?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<think>`,
    );
  });
});

describe("errors", () => {
  test("a template that does not parse is a ConfigError", () => {
    expect(() => chatTemplateRenderer("{% for m in messages %}")).toThrow(/chat template cannot be parsed/);
  });
  test("raise_exception in the template surfaces its message", () => {
    const render = chatTemplateRenderer("{{ raise_exception('System role not supported') }}");
    expect(() => render([user], gen)).toThrow(/System role not supported/);
  });
  test("a template that drops the final message cannot continue it", () => {
    const render = chatTemplateRenderer("{% for m in messages %}{% if m.role == 'user' %}{{ m.content }}{% endif %}{% endfor %}");
    expect(() => render([user, { role: "assistant", content: "Sure" }], cont)).toThrow(/final message does not appear/);
  });
  test("continueFinalMessage needs an assistant message last", () => {
    expect(() => chatTemplateRenderer("{{ messages }}")([user], cont)).toThrow(/assistant message last/);
  });
});
