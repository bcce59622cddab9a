import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi, describe, expect, test } from "vitest";
import { useBuiltCliAndFakeServer } from "./fakeOpenAIServer.js";
import { cli } from "./run.js";

// Each test spawns the CLI several times (a few seconds each on a loaded two-core machine).
vi.setConfig({ testTimeout: 300_000 });

const fake = useBuiltCliAndFakeServer();

// The run folder names of spec 2.6, produced by upstream's code, reached through the whole CLI:
// built-in task YAML, model config, k=v parsing, sampling merge, --as-test, prefill decoding.
describe("run folders have upstream's names", () => {
  test("aime24 with all defaults: Qwen_QwQ-32B-Preview_aime24_9a52df", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skythought-hash-"));
    const data = join(dir, "aime.jsonl");
    writeFileSync(data, [
      { id: 0, problem: "What is 1+2?", solution: "3", answer: "3", url: "https://aops.com/2024_AIME_I/1" },
      { id: 1, problem: "What is 2+2?", solution: "4", answer: "4", url: "https://aops.com/2023_AIME_I/1" },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n");
    const r = await cli(
      ["generate", "--task", "aime24", "--model", "Qwen/QwQ-32B-Preview", "--backend", "vllm", "--data-file", data, "--result-dir", dir, "--quiet"],
      { OPENAI_BASE_URL: fake.server.url, OPENAI_API_KEY: "" },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toContain("Qwen_QwQ-32B-Preview_aime24_9a52df");
    const results = JSON.parse(readFileSync(join(dir, "Qwen_QwQ-32B-Preview_aime24_9a52df", "results.json"), "utf8"));
    expect(Object.keys(results)).toEqual(["0"]); // the 2024 filter
    expect(results["0"].input_conversation[0].content).toMatch(/^You are a helpful and harmless assistant/);
  });

  test("gpqa_diamond on openai with --as-test and a prefill: my-org_my-model_gpqa_diamond_20800e", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skythought-hash-"));
    const data = join(dir, "gpqa.jsonl");
    const row = { Question: "Which is a noble gas?", "Correct Answer": "Neon", "Incorrect Answer 1": "Iron", "Incorrect Answer 2": "Tin", "Incorrect Answer 3": "Lead" };
    writeFileSync(data, JSON.stringify(row) + "\n");
    const r = await cli(
      [
        "evaluate", "--task", "gpqa_diamond", "--model", "my-org/my-model", "--backend", "openai",
        "--sampling-params", "temperature=0.6,top_p=0.95", "--as-test", "--assistant-prefill", "<think>\\n",
        "--data-file", data, "--result-dir", dir, "--quiet",
      ],
      { OPENAI_BASE_URL: fake.server.url, OPENAI_API_KEY: "" },
    );
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toContain("my-org_my-model_gpqa_diamond_20800e");
    const results = JSON.parse(readFileSync(join(dir, "my-org_my-model_gpqa_diamond_20800e", "results.json"), "utf8"));
    expect(results["0"].input_conversation.at(-1)).toEqual({ role: "assistant", content: "<think>\n" });
    expect(results["0"].prompt).toBe("<think>\n"); // upstream's quirk: the second message
  });
});
