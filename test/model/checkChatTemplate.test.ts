import { expect, test } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { CHATML_TEMPLATE } from "../../src/gguf/index.js";
import { checkChatTemplate } from "../../src/model/checkChatTemplate.js";
import { chatTemplateRenderer } from "../../src/templating/index.js";

const check = (template: string) => () => checkChatTemplate(chatTemplateRenderer(template), "--chat-template t.jinja");

test("a chat template that prints the messages passes", () => {
  expect(check(CHATML_TEMPLATE)).not.toThrow();
});

test("a file that ignores the messages (a JSONL file) is not a chat template", () => {
  expect(check('{"problem": "What is 1+1?", "answer": "2"}\n')).toThrow(ConfigError);
  expect(check('{"problem": "What is 1+1?"}\n')).toThrow(/^--chat-template t\.jinja is not a chat template: it does not print the messages it is given/);
});

test("a template that fails on a one-message conversation says so", () => {
  expect(check("{{ raise_exception('system message required') }}")).toThrow(/^--chat-template t\.jinja cannot render a one-message conversation \(.*system message required.*\)/);
});
