import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GGML_TYPE, GgufError, readGgufMetadata, writeGguf } from "../../src/gguf/index.js";
import { SkyThoughtError } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "gguf-errors-"));
let good: Buffer;
let dataOffset: number;

beforeAll(async () => {
  const path = join(dir, "good.gguf");
  await writeGguf(path, {
    kv: [
      { key: "general.architecture", type: "string", value: "llama" },
      { key: "tokenizer.ggml.tokens", type: "array", itemType: "string", value: ["a", "b", "c"] },
    ],
    tensors: [{ name: "w", shape: [64], type: GGML_TYPE.F32, data: () => new Uint8Array(256) }],
  });
  good = readFileSync(path);
  dataOffset = (await readGgufMetadata(path)).dataOffset;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("readGgufMetadata errors", () => {
  test("a missing file says so and is a SkyThoughtError", async () => {
    const err = await readGgufMetadata(join(dir, "nope.gguf")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GgufError);
    expect(err).toBeInstanceOf(SkyThoughtError);
    expect((err as Error).message).toMatch(/nope\.gguf does not exist/);
  });

  test("a directory is not a model", async () => {
    await expect(readGgufMetadata(dir)).rejects.toThrow(/is not a file/);
  });

  test("bad magic: not a GGUF file", async () => {
    const bytes = Buffer.from(good);
    bytes.write("GGML", 0);
    await expect(readGgufMetadata(fileWith("magic.gguf", bytes))).rejects.toThrow(/is not a GGUF file/);
  });

  test("a tiny file is not a GGUF file", async () => {
    await expect(readGgufMetadata(fileWith("tiny.gguf", Buffer.from("GGUF")))).rejects.toThrow(/is not a GGUF file/);
  });

  test("an unsupported version is named", async () => {
    const bytes = Buffer.from(good);
    bytes.writeUInt32LE(1, 4);
    await expect(readGgufMetadata(fileWith("v1.gguf", bytes))).rejects.toThrow(/GGUF version 1/);
  });

  test("cut inside the KV section: truncated", async () => {
    await expect(readGgufMetadata(fileWith("cut-kv.gguf", good.subarray(0, 60)))).rejects.toThrow(/is truncated/);
  });

  test("cut inside the tensor data: truncated, naming the tensor", async () => {
    const path = fileWith("cut-data.gguf", good.subarray(0, dataOffset + 100));
    await expect(readGgufMetadata(path)).rejects.toThrow(/truncated: tensor "w" ends at byte/);
  });

  test("an absurd array length is caught before allocating", async () => {
    const bytes = Buffer.from(good);
    // The tokens array header: key, type 9, item type 8, then the u64 count.
    const at = bytes.indexOf("tokenizer.ggml.tokens") + "tokenizer.ggml.tokens".length + 8;
    bytes.writeBigUInt64LE(1n << 40n, at);
    await expect(readGgufMetadata(fileWith("huge.gguf", bytes))).rejects.toThrow(/claims 1099511627776 items/);
  });
});
