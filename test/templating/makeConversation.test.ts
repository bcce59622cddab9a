import { describe, expect, test } from "vitest";
import { makeConversation, resolveModelConfig, type ModelConfig } from "../../src/templating/index.js";

const base: ModelConfig = { model_id: "m", name: "m", system_prompt: null, user_template: null, assistant_prefill: null };

describe("makeConversation (spec 4.2)", () => {
  test("prompt only", () => {
    expect(makeConversation("1+1?", base)).toEqual([{ role: "user", content: "1+1?" }]);
  });
  test("system prompt, then user, then the assistant prefill last", () => {
    expect(makeConversation("1+1?", { ...base, system_prompt: "S", assistant_prefill: "<think>\n" })).toEqual([
      { role: "system", content: "S" },
      { role: "user", content: "1+1?" },
      { role: "assistant", content: "<think>\n" },
    ]);
  });
  test("an empty system prompt is left out", () => {
    expect(makeConversation("q", { ...base, system_prompt: "" })).toEqual([{ role: "user", content: "q" }]);
  });
  test("the user template is filled positionally; braces in the prompt stay", async () => {
    const o1 = await resolveModelConfig({ modelId: "o1-mini" });
    expect(makeConversation("Find \\boxed{x} if {a}", o1)).toEqual([
      { role: "user", content: "Question: Find \\boxed{x} if {a}\nAnswer: " },
    ]);
  });
  test("a file system prompt sends the file's text", async () => {
    const mc = await resolveModelConfig({ modelId: "PRIME-RL/Eurus-2-7B-PRIME" });
    const [system] = makeConversation("q", mc);
    expect(system!.role).toBe("system");
    expect(system!.content).toHaveLength(920);
  });
});
