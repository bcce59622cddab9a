import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  dumpModelConfig,
  loadModelConfigs,
  resolveModelConfig,
  SystemPromptFile,
  systemPromptText,
} from "../../src/templating/index.js";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const dir = mkdtempSync(join(tmpdir(), "model-configs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("models/model_configs.yaml", () => {
  test("system prompts parse to the texts upstream sends (spec 4.1 sha256 values)", async () => {
    const { systemPrompts } = await loadModelConfigs();
    expect(Object.keys(systemPrompts)).toEqual(["qwen_cot", "prime_rl", "skythought"]);
    const qwen = systemPrompts.qwen_cot as string;
    expect(qwen).toHaveLength(107);
    expect(sha(qwen)).toMatch(/^50795fcf[0-9a-f]{52}c9a0$/);
    const sky = systemPrompts.skythought as string;
    expect(sky).toHaveLength(1310);
    expect(sha(sky)).toBe("c5ae4aa0b0d6fcadd6fa8977f5e55b1f2dccb7582bd05b80385e2f22650a9f8d");
    expect(sky).toContain("{thought with steps separated with '\n\n'}");
    const prime = systemPromptText(systemPrompts.prime_rl)!;
    expect(prime).toHaveLength(920);
    expect(sha(prime)).toMatch(/^8a33196b[0-9a-f]{52}d44d$/);
    expect(prime).toContain("{actions}");
  });

  test("pre-configured models", async () => {
    const { models } = await loadModelConfigs();
    expect(Object.keys(models)).toHaveLength(14);
    expect(models["o1-mini"]).toEqual({ name: "o1-mini", system_prompt: null, user_template: "Question: {}\nAnswer: " });
    expect(models["PRIME-RL/Eurus-2-7B-PRIME"]!.system_prompt).toBeInstanceOf(SystemPromptFile);
  });
});

describe("resolveModelConfig (ModelConfig.from_model_id)", () => {
  test("a configured model gets its system prompt and the id's last segment as name", async () => {
    const mc = await resolveModelConfig({ modelId: "Qwen/QwQ-32B-Preview" });
    expect(mc.name).toBe("QwQ-32B-Preview");
    expect(systemPromptText(mc.system_prompt)).toMatch(/^You are a helpful and harmless assistant/);
    expect(mc.user_template).toBeNull();
    expect(mc.assistant_prefill).toBeNull();
  });

  test("a configured name wins over the id", async () => {
    expect((await resolveModelConfig({ modelId: "o1-mini" })).name).toBe("o1-mini");
  });

  test("an unknown model: empty config and upstream's warning", async () => {
    const warnings: string[] = [];
    const mc = await resolveModelConfig({ modelId: "my-org/my-model", onWarning: (w) => warnings.push(w) });
    expect(dumpModelConfig(mc)).toEqual({
      model_id: "my-org/my-model", name: "my-model", system_prompt: null, user_template: null, assistant_prefill: null,
    });
    expect(warnings).toEqual([expect.stringMatching(/^Model my-org\/my-model not found in .*model_configs\.yaml\. Initializing without any system prompt\.$/)]);
  });

  test("--system-prompt-name replaces the configured prompt; a file prompt dumps as {path}", async () => {
    const mc = await resolveModelConfig({ modelId: "NovaSky-AI/Sky-T1-32B-Flash", systemPromptName: "prime_rl", assistantPrefill: "<think>\n" });
    const dump = dumpModelConfig(mc);
    expect(Object.keys(dump)).toEqual(["model_id", "name", "system_prompt", "user_template", "assistant_prefill"]);
    expect(dump.system_prompt).toEqual({ path: "system_prompts/prime.txt" });
    expect(JSON.parse(JSON.stringify(mc)).system_prompt).toEqual({ path: "system_prompts/prime.txt" });
    expect(Object.entries(mc.system_prompt!)).toEqual([["path", "system_prompts/prime.txt"]]);
    expect(dump.assistant_prefill).toBe("<think>\n");
  });

  test("--system-prompt gives a literal prompt and no warning for unknown models", async () => {
    const warnings: string[] = [];
    const mc = await resolveModelConfig({ modelId: "x/y", systemPrompt: "Be brief.", onWarning: (w) => warnings.push(w) });
    expect(mc.system_prompt).toBe("Be brief.");
    expect(warnings).toEqual([]);
  });

  test("an unknown --system-prompt-name lists the known ones", async () => {
    await expect(resolveModelConfig({ modelId: "x", systemPromptName: "nope" })).rejects.toThrow(
      /Invalid system prompt template nope provided\..*qwen_cot, prime_rl, skythought/,
    );
  });

  test("both --system-prompt-name and --system-prompt is an error", async () => {
    await expect(resolveModelConfig({ modelId: "x", systemPromptName: "qwen_cot", systemPrompt: "hi" })).rejects.toThrow(/cannot both be given/);
  });
});

describe("loadModelConfigs errors name the file and key", () => {
  const write = (name: string, yaml: string) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "model_configs.yaml"), yaml);
    return d;
  };
  test("an unknown key in a model entry", async () => {
    const d = write("typo", "models:\n  a/b:\n    sytem_prompt: hi\n");
    await expect(loadModelConfigs(d)).rejects.toThrow(/model_configs\.yaml: key "models\.a\/b"/);
  });
  test("a prompt file that does not exist", async () => {
    const d = write("nofile", "system_prompts:\n  p:\n    path: missing.txt\n");
    await expect(loadModelConfigs(d)).rejects.toThrow(/system_prompts\.p: Invalid path missing\.txt/);
  });
  test("a missing folder", async () => {
    await expect(loadModelConfigs(join(dir, "absent"))).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });
  test("a custom folder with a file prompt", async () => {
    const d = write("custom", "system_prompts:\n  mine:\n    path: p.txt\nmodels:\n  m:\n    system_prompt: hello\n    assistant_prefill: go\n");
    writeFileSync(join(d, "p.txt"), "from a file\n");
    const mc = await resolveModelConfig({ modelId: "m", systemPromptName: "mine", configDir: d });
    expect(systemPromptText(mc.system_prompt)).toBe("from a file\n");
    expect(mc.assistant_prefill).toBe("go");
  });
});
