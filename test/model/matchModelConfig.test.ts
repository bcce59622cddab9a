import { describe, expect, test } from "vitest";
import { matchModelConfig } from "../../src/model/index.js";

const ids = ["o1-mini", "Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-Math-7B-Instruct", "Qwen/QwQ-32B-Preview", "NovaSky-AI/Sky-T1-32B-Flash"];
const kv = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("matchModelConfig", () => {
  test("--model-id wins, configured or not", () => {
    expect(matchModelConfig(ids, { modelId: "my/model", metadata: kv({ "general.name": "QwQ 32B Preview" }) })).toEqual({
      modelId: "my/model", from: "--model-id",
    });
  });

  test("the source repository in the metadata", () => {
    expect(matchModelConfig(ids, { metadata: kv({ "general.source.url": "https://huggingface.co/NovaSky-AI/Sky-T1-32B-Flash", "general.name": "x" }) }))
      .toEqual({ modelId: "NovaSky-AI/Sky-T1-32B-Flash", from: "gguf metadata" });
    expect(matchModelConfig(ids, { metadata: kv({ "general.source.huggingface.repository": "Qwen/QwQ-32B-Preview" }) })?.modelId)
      .toBe("Qwen/QwQ-32B-Preview");
  });

  test("general.name as llama.cpp's converter writes it", () => {
    expect(matchModelConfig(ids, { metadata: kv({ "general.name": "Qwen2.5 Math 7B Instruct" }) })?.modelId).toBe("Qwen/Qwen2.5-Math-7B-Instruct");
    expect(matchModelConfig(ids, { metadata: kv({ "general.name": "QwQ 32B Preview" }) })?.modelId).toBe("Qwen/QwQ-32B-Preview");
  });

  test("basename + size label + finetune", () => {
    const metadata = kv({ "general.name": "Some Upload", "general.basename": "Qwen2.5", "general.size_label": "7B", "general.finetune": "Instruct" });
    expect(matchModelConfig(ids, { metadata })?.modelId).toBe("Qwen/Qwen2.5-7B-Instruct");
  });

  test("base_model does not count: it names the parent model", () => {
    const metadata = kv({ "general.name": "My Finetune", "general.base_model.0.repo_url": "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct" });
    expect(matchModelConfig(ids, { metadata, path: "/m/my-finetune.Q4_K_M.gguf" })).toBeUndefined();
  });

  test("the file name: longest configured name it starts with", () => {
    expect(matchModelConfig(ids, { path: "/models/Qwen2.5-Math-7B-Instruct-Q8_0.gguf" })).toEqual({
      modelId: "Qwen/Qwen2.5-Math-7B-Instruct", from: "file name",
    });
    expect(matchModelConfig(ids, { path: "/models/qwen2.5-7b-instruct-q4_k_m.gguf" })?.modelId).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(matchModelConfig(ids, { path: "/models/llama-3.1-8b.gguf" })).toBeUndefined();
  });
});
