/**
 * The generated models must load and run in the real llama.cpp (node-llama-cpp's prebuilt CPU
 * binaries of the pinned release), and our reader must agree with node-llama-cpp's own parser.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, readGgufFileInfo, type Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readGgufMetadata, writeRandomModel, type RandomModelOptions } from "../../src/gguf/index.js";
import { testModel } from "../fixtures/models.js";

const dir = mkdtempSync(join(tmpdir(), "gguf-llama-"));
let llama: Llama;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as never });
});
afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function greedy(path: string, prompt: string, count: number): Promise<{ tokens: number[]; text: string }> {
  const model = await llama.loadModel({ modelPath: path });
  try {
    // One thread: ggml's spinning workers crawl when the machine's cores are oversubscribed.
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    const tokens: number[] = [];
    for await (const token of context.getSequence().evaluate(model.tokenize(prompt), { temperature: 0 })) {
      tokens.push(token);
      if (tokens.length >= count) break;
    }
    await context.dispose();
    return { tokens, text: model.detokenize(tokens as never) };
  } finally {
    await model.dispose();
  }
}

function expectVaried(tokens: number[]): void {
  expect(tokens).toHaveLength(24);
  expect(new Set(tokens).size).toBeGreaterThan(4);
}

const SMALL: Omit<RandomModelOptions, "architecture" | "vocab"> = {
  embeddingLength: 64, blockCount: 2, feedForwardLength: 128, headCount: 4, headCountKv: 2,
};

describe("generated models in llama.cpp", () => {
  test("tiny (qwen2, Qwen2 tokenizer, f32) loads, tokenizes like Qwen2 and generates varied text", async () => {
    const path = await testModel("tiny");
    const model = await llama.loadModel({ modelPath: path });
    // Qwen2's real BPE: "Hello world" is two tokens, ids as in the upstream tokenizer.
    expect([...model.tokenize("Hello world")]).toEqual([9707, 1879]);
    expect(model.fileInfo.metadata.general.architecture).toBe("qwen2");
    await model.dispose();
    expectVaried((await greedy(path, "The answer is", 24)).tokens);
  });

  test("tiny-llama (llama, synthetic BPE, f32) generates varied text", async () => {
    const path = await testModel("tiny-llama");
    const { tokens, text } = await greedy(path, "Let x and y be real numbers", 24);
    expectVaried(tokens);
    expect(text.length).toBeGreaterThan(0);
  });

  test("q8_0 and f16 weights load and run", async () => {
    for (const weightType of ["q8_0", "f16"] as const) {
      const path = join(dir, `llama-${weightType}.gguf`);
      await writeRandomModel(path, { architecture: "llama", vocab: "synthetic", ...SMALL, weightType });
      expectVaried((await greedy(path, "Think step by step", 24)).tokens);
    }
  });

  test("the same greedy output twice from one file (the model is deterministic)", async () => {
    const path = await testModel("tiny-llama");
    expect(await greedy(path, "the area of the triangle", 24)).toEqual(await greedy(path, "the area of the triangle", 24));
  });

  test("a chat template is stored and read back", async () => {
    const template = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";
    const path = await testModel("tiny-llama", { chatTemplate: template });
    expect((await readGgufMetadata(path)).chatTemplate).toBe(template);
    expect((await readGgufMetadata(await testModel("tiny-llama"))).chatTemplate).toBeUndefined();
  });
});

describe("writeRandomModel", () => {
  test("is deterministic in its seed", async () => {
    const sha = async (name: string, seed: number) => {
      const path = join(dir, name);
      await writeRandomModel(path, { architecture: "qwen2", vocab: "synthetic", ...SMALL, seed });
      return createHash("sha256").update(readFileSync(path)).digest("hex");
    };
    expect(await sha("s1a.gguf", 1)).toBe(await sha("s1b.gguf", 1));
    expect(await sha("s2.gguf", 2)).not.toBe(await sha("s1c.gguf", 1));
  });

  test("writes every tensor llama.cpp expects, with qwen2's biases", async () => {
    const meta = await readGgufMetadata(await testModel("tiny"));
    const names = meta.tensors.map((t) => t.name);
    expect(names.slice(0, 3)).toEqual(["token_embd.weight", "output_norm.weight", "output.weight"]);
    expect(names.filter((n) => n.startsWith("blk.1."))).toEqual([
      "blk.1.attn_norm.weight", "blk.1.attn_q.weight", "blk.1.attn_k.weight", "blk.1.attn_v.weight",
      "blk.1.attn_q.bias", "blk.1.attn_k.bias", "blk.1.attn_v.bias", "blk.1.attn_output.weight",
      "blk.1.ffn_norm.weight", "blk.1.ffn_gate.weight", "blk.1.ffn_up.weight", "blk.1.ffn_down.weight",
    ]);
    expect(meta.tensors.find((t) => t.name === "blk.0.attn_k.weight")?.shape).toEqual([64, 32]);
    expect(meta.kv.get("qwen2.block_count")).toBe(2);
    expect(meta.kv.get("tokenizer.ggml.pre")).toBe("qwen2");
    expect((meta.kv.get("tokenizer.ggml.tokens") as string[]).length).toBe(151936);
  });

  test("refuses shapes llama.cpp cannot run", async () => {
    await expect(
      writeRandomModel(join(dir, "bad.gguf"), { architecture: "llama", vocab: "synthetic", ...SMALL, headCount: 3 }),
    ).rejects.toThrow(/embeddingLength 64 is not a multiple of headCount 3/);
  });
});

describe("readGgufMetadata agrees with node-llama-cpp's parser", () => {
  test("tensor infos and metadata of the tiny model", async () => {
    const path = await testModel("tiny");
    const ours = await readGgufMetadata(path);
    const theirs = await readGgufFileInfo(path, { readTensorInfo: true });
    expect(ours.version).toBe(theirs.version);
    expect(ours.tensorCount).toBe(Number(theirs.totalTensorCount));
    expect(ours.tensors.map((t) => [t.name, t.shape, t.type, t.offset])).toEqual(
      theirs.fullTensorInfo!.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType, Number(t.offset)]),
    );
    expect(ours.kv.get("qwen2.embedding_length")).toBe(theirs.metadata.qwen2?.embedding_length);
    expect(ours.kv.get("tokenizer.ggml.merges")).toEqual(theirs.metadata.tokenizer.ggml.merges);
  });
});
