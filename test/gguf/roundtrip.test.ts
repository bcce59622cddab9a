import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { GGML_TYPE, readGgufMetadata, writeGguf, type GgufKv } from "../../src/gguf/index.js";

const dir = mkdtempSync(join(tmpdir(), "gguf-roundtrip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVERY_TYPE: GgufKv[] = [
  { key: "general.architecture", type: "string", value: "llama" },
  { key: "general.name", type: "string", value: "round trip ✓ 数学" },
  { key: "t.uint8", type: "uint8", value: 255 },
  { key: "t.int8", type: "int8", value: -128 },
  { key: "t.uint16", type: "uint16", value: 65535 },
  { key: "t.int16", type: "int16", value: -32768 },
  { key: "t.uint32", type: "uint32", value: 4294967295 },
  { key: "t.int32", type: "int32", value: -2147483648 },
  { key: "t.float32", type: "float32", value: 0.5 },
  { key: "t.bool", type: "bool", value: true },
  { key: "t.uint64.small", type: "uint64", value: 9007199254740991 },
  { key: "t.uint64.big", type: "uint64", value: 18446744073709551615n },
  { key: "t.int64", type: "int64", value: -9223372036854775808n },
  { key: "t.float64", type: "float64", value: Math.PI },
  { key: "t.empty", type: "string", value: "" },
  { key: "a.uint8", type: "array", itemType: "uint8", value: [0, 1, 255] },
  { key: "a.int8", type: "array", itemType: "int8", value: [-1, 127] },
  { key: "a.uint16", type: "array", itemType: "uint16", value: [7] },
  { key: "a.int16", type: "array", itemType: "int16", value: [-7, 7] },
  { key: "a.uint32", type: "array", itemType: "uint32", value: [1, 2, 3] },
  { key: "a.int32", type: "array", itemType: "int32", value: [-1, 0, 1] },
  { key: "a.float32", type: "array", itemType: "float32", value: [1.5, -0.25] },
  { key: "a.bool", type: "array", itemType: "bool", value: [true, false, true] },
  { key: "a.string", type: "array", itemType: "string", value: ["Ġthe", "", "<|im_end|>"] },
  { key: "a.uint64", type: "array", itemType: "uint64", value: [1, 2n ** 63n] },
  { key: "a.int64", type: "array", itemType: "int64", value: [-5, 5] },
  { key: "a.float64", type: "array", itemType: "float64", value: [1e300, -1e-300] },
  { key: "a.empty", type: "array", itemType: "int32", value: [] },
  { key: "general.file_type", type: "uint32", value: 1 },
  { key: "llama.context_length", type: "uint32", value: 2048 },
  { key: "tokenizer.chat_template", type: "string", value: "{{ messages }}" },
];

describe("writeGguf + readGgufMetadata", () => {
  test("every KV value type survives a round trip, in order", async () => {
    const path = join(dir, "kv.gguf");
    await writeGguf(path, { kv: EVERY_TYPE, tensors: [] });
    const meta = await readGgufMetadata(path);
    expect(meta.version).toBe(3);
    expect(meta.entries).toEqual(EVERY_TYPE);
    expect(meta.kv.get("t.uint64.small")).toBe(9007199254740991);
    expect(meta.kv.get("t.uint64.big")).toBe(18446744073709551615n);
    expect(meta.architecture).toBe("llama");
    expect(meta.name).toBe("round trip ✓ 数学");
    expect(meta.chatTemplate).toBe("{{ messages }}");
    expect(meta.fileType).toBe("F16");
    expect(meta.contextLength).toBe(2048);
    expect(meta.tensorCount).toBe(0);
  });

  test("tensor infos and data land at aligned offsets", async () => {
    const path = join(dir, "tensors.gguf");
    const a = Uint8Array.from({ length: 3 * 4 }, (_, i) => i);
    const b = Uint8Array.from({ length: 5 * 2 }, (_, i) => 100 + i);
    const c = Uint8Array.from({ length: 2 * 34 }, (_, i) => i % 251);
    await writeGguf(path, {
      kv: [{ key: "general.alignment", type: "uint32", value: 64 }],
      tensors: [
        { name: "a", shape: [3], type: GGML_TYPE.F32, data: () => a },
        { name: "b", shape: [5, 1], type: GGML_TYPE.F16, data: () => b },
        { name: "c", shape: [32, 2], type: GGML_TYPE.Q8_0, data: () => c },
      ],
    });
    const meta = await readGgufMetadata(path);
    expect(meta.alignment).toBe(64);
    expect(meta.dataOffset % 64).toBe(0);
    expect(meta.tensors).toEqual([
      { name: "a", shape: [3], type: GGML_TYPE.F32, offset: 0, bytes: 12 },
      { name: "b", shape: [5, 1], type: GGML_TYPE.F16, offset: 64, bytes: 10 },
      { name: "c", shape: [32, 2], type: GGML_TYPE.Q8_0, offset: 128, bytes: 68 },
    ]);
    expect(meta.parameterCount).toBe(3 + 5 + 64);
    const file = readFileSync(path);
    for (const [t, data] of [[meta.tensors[0]!, a], [meta.tensors[1]!, b], [meta.tensors[2]!, c]] as const) {
      expect(file.subarray(meta.dataOffset + t.offset, meta.dataOffset + t.offset + data.length)).toEqual(Buffer.from(data));
    }
  });

  test("arrays larger than the read window, strings straddling its edges", async () => {
    const path = join(dir, "big.gguf");
    const numbers = Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 0);
    const strings = Array.from({ length: 60_000 }, (_, i) => "ab€".repeat(i % 7) + String(i));
    const kv: GgufKv[] = [
      { key: "big.u32", type: "array", itemType: "uint32", value: numbers },
      { key: "big.str", type: "array", itemType: "string", value: strings },
      { key: "after", type: "string", value: "end" },
    ];
    await writeGguf(path, { kv, tensors: [] });
    expect((await readGgufMetadata(path)).entries).toEqual(kv);
  });

  test("concurrent writers of one path leave one complete file (temp file + rename)", async () => {
    const path = join(dir, "race.gguf");
    const data = new Uint8Array(4 * 100_000).fill(7);
    const write = () =>
      writeGguf(path, { kv: EVERY_TYPE, tensors: [{ name: "w", shape: [100_000], type: GGML_TYPE.F32, data: () => data }] });
    await Promise.all([write(), write(), write()]);
    const meta = await readGgufMetadata(path);
    expect(meta.entries).toEqual(EVERY_TYPE);
    expect(meta.fileSize).toBe(meta.dataOffset + data.length);
    expect(readdirSync(dir).filter((f) => f.startsWith("race.gguf"))).toEqual(["race.gguf"]);
  });

  test("a value of the wrong JS type is refused with its key", async () => {
    await expect(
      writeGguf(join(dir, "bad.gguf"), { kv: [{ key: "x.count", type: "uint32", value: "3" }], tensors: [] }),
    ).rejects.toThrow(/"x\.count" should be uint32/);
  });

  test("tensor data of the wrong size is refused and leaves no file", async () => {
    const path = join(dir, "short.gguf");
    await expect(
      writeGguf(path, { kv: [], tensors: [{ name: "w", shape: [4], type: GGML_TYPE.F32, data: () => new Uint8Array(8) }] }),
    ).rejects.toThrow(/tensor "w" has 8 bytes of data, expected 16/);
    await expect(readGgufMetadata(path)).rejects.toThrow(/does not exist/);
  });
});
