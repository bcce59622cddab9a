import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { parseKeyValues } from "../../src/config/keyValues.js";
import { buildSampling } from "../../src/config/sampling.js";
import { runFolderName } from "../../src/runs/runHash.js";
import { TaskConfigSchema } from "../../src/tasks/types.js";

const REF = "/work/shared/reference/skythought";
const QWEN_COT =
  "You are a helpful and harmless assistant. You are Qwen developed by Alibaba. You should think step-by-step.";

function task(folder: string, name: string) {
  return TaskConfigSchema.parse(parse(readFileSync(`${REF}/tasks/${folder}/${name}.yaml`, "utf8")));
}

function runConfig(o: {
  task: [string, string];
  start?: number;
  end?: number;
  model: string;
  modelConfig: Record<string, unknown>;
  backend: string;
  backendArgs?: string;
  sampling?: string;
}) {
  return {
    task: { name: o.task[1], config: task(...o.task), start: o.start ?? 0, end: o.end ?? -1 },
    model: { name: o.model, config: o.modelConfig },
    backend: { name: o.backend, backend_args: parseKeyValues(o.backendArgs ?? "", "--backend-args") },
    sampling_params: buildSampling({ samplingParams: o.sampling ?? "", model: o.model }).dict,
  };
}

// The four vectors of spec 2.6, derived with upstream's code.
describe("runFolderName matches upstream's test vectors", () => {
  test("aime24, QwQ, all defaults", async () => {
    const config = runConfig({
      task: ["aime", "aime24"],
      model: "Qwen/QwQ-32B-Preview",
      modelConfig: { model_id: "Qwen/QwQ-32B-Preview", name: "QwQ-32B-Preview", system_prompt: QWEN_COT, user_template: null, assistant_prefill: null },
      backend: "vllm",
    });
    expect(await runFolderName("Qwen/QwQ-32B-Preview", "aime24", config)).toBe("Qwen_QwQ-32B-Preview_aime24_9a52df");
  });

  test("math500 on ray with int backend args and a float temperature", async () => {
    const config = runConfig({
      task: ["math", "math500"],
      model: "Qwen/Qwen2-7B-Instruct",
      modelConfig: { model_id: "Qwen/Qwen2-7B-Instruct", name: "Qwen2-7B-Instruct", system_prompt: QWEN_COT, user_template: null, assistant_prefill: null },
      backend: "ray",
      backendArgs: "tensor_parallel_size=1,num_replicas=8",
      sampling: "temperature=0.7,max_tokens=4096",
    });
    expect(await runFolderName("Qwen/Qwen2-7B-Instruct", "math500", config)).toBe("Qwen_Qwen2-7B-Instruct_math500_35eb1a");
  });

  test("aime24, Sky-T1 with a file system prompt and raw-string backend args", async () => {
    const config = runConfig({
      task: ["aime", "aime24"],
      model: "NovaSky-AI/Sky-T1-32B-Flash",
      modelConfig: { model_id: "NovaSky-AI/Sky-T1-32B-Flash", name: "Sky-T1-32B-Flash", system_prompt: { path: "system_prompts/prime.txt" }, user_template: null, assistant_prefill: null },
      backend: "vllm",
      backendArgs: "tensor_parallel_size=8,revision=0dccf55,dtype=float32",
      sampling: "max_tokens=4096,temperature=0.1",
    });
    expect(await runFolderName("NovaSky-AI/Sky-T1-32B-Flash", "aime24", config)).toBe("NovaSky-AI_Sky-T1-32B-Flash_aime24_3dc629");
  });

  test("gpqa_diamond on openai, --as-test, prefill", async () => {
    const config = runConfig({
      task: ["gpqa_diamond", "gpqa_diamond"],
      end: 10,
      model: "my-org/my-model",
      modelConfig: { model_id: "my-org/my-model", name: "my-model", system_prompt: null, user_template: null, assistant_prefill: "<think>\n" },
      backend: "openai",
      sampling: "temperature=0.6,top_p=0.95",
    });
    expect(await runFolderName("my-org/my-model", "gpqa_diamond", config)).toBe("my-org_my-model_gpqa_diamond_20800e");
  });
});
