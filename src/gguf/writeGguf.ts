import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { ByteWriter } from "./ByteWriter.js";
import { ggmlTensorBytes, ggmlTypeName } from "./ggmlTypes.js";
import { GgufError } from "./GgufError.js";
import { GGUF_VALUE_TYPE, type GgufKv, type GgufScalar, type GgufScalarTypeName } from "./types.js";

const MAGIC = 0x46554747;
const VERSION = 3;
const DEFAULT_ALIGNMENT = 32;

export interface GgufTensorSource {
  name: string;
  /** ggml order: shape[0] is the row length. */
  shape: number[];
  /** ggml type id (see GGML_TYPE). */
  type: number;
  /** Produces the tensor's bytes when it is written, so only one tensor is in memory at a time. */
  data: () => Uint8Array;
}

export interface GgufContents {
  kv: GgufKv[];
  tensors: GgufTensorSource[];
}

/**
 * Writes a GGUF v3 file. The file appears at `path` only when complete (written to a temporary
 * name beside it, then renamed), so readers never see half a model.
 */
export async function writeGguf(path: string, contents: GgufContents): Promise<void> {
  const alignmentKv = contents.kv.find((e) => e.key === "general.alignment");
  const alignment = alignmentKv ? Number(alignmentKv.value) : DEFAULT_ALIGNMENT;
  const header = new ByteWriter();
  header.u32(MAGIC);
  header.u32(VERSION);
  header.u64(contents.tensors.length);
  header.u64(contents.kv.length);
  const seen = new Set<string>();
  for (const entry of contents.kv) {
    if (seen.has(entry.key)) throw new GgufError(`writeGguf: key "${entry.key}" is given twice`);
    seen.add(entry.key);
    header.string(entry.key);
    header.u32(GGUF_VALUE_TYPE[entry.type]);
    if (entry.type === "array") writeArray(header, entry.itemType, entry.value, entry.key);
    else writeValue(header, entry.type, entry.value, entry.key);
  }
  const sizes = contents.tensors.map(tensorBytes);
  let offset = 0;
  for (const [i, t] of contents.tensors.entries()) {
    header.string(t.name);
    header.u32(t.shape.length);
    for (const d of t.shape) header.u64(d);
    header.u32(t.type);
    header.u64(offset);
    offset = align(offset + sizes[i]!, alignment);
  }
  header.zeros(align(header.size, alignment) - header.size);

  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const file = await open(tmp, "w");
  try {
    await file.write(header.bytes());
    for (const [i, t] of contents.tensors.entries()) {
      const data = t.data();
      if (data.byteLength !== sizes[i]) {
        throw new GgufError(`writeGguf: tensor "${t.name}" has ${data.byteLength} bytes of data, expected ${sizes[i]}`);
      }
      await file.write(data);
      const pad = align(sizes[i]!, alignment) - sizes[i]!;
      if (pad > 0) await file.write(Buffer.alloc(pad));
    }
    await file.close();
    await rename(tmp, path);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

function tensorBytes(t: GgufTensorSource): number {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  const bytes = ggmlTensorBytes(t.type, elements);
  if (bytes === undefined) throw new GgufError(`writeGguf: tensor "${t.name}" has unsupported type ${ggmlTypeName(t.type)}`);
  return bytes;
}

function align(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function writeArray(w: ByteWriter, itemType: GgufScalarTypeName, items: GgufScalar[], key: string): void {
  w.u32(GGUF_VALUE_TYPE[itemType]);
  w.u64(items.length);
  for (const item of items) writeValue(w, itemType, item, key);
}

function writeValue(w: ByteWriter, type: GgufScalarTypeName, value: GgufScalar, key: string): void {
  const bad = () => new GgufError(`writeGguf: "${key}" should be ${type}, got ${typeof value} ${String(value).slice(0, 40)}`);
  if (type === "string") {
    if (typeof value !== "string") throw bad();
    return w.string(value);
  }
  if (type === "bool") {
    if (typeof value !== "boolean") throw bad();
    return w.u8(value ? 1 : 0);
  }
  if (type === "uint64" || type === "int64") {
    if (typeof value !== "number" && typeof value !== "bigint") throw bad();
    return type === "uint64" ? w.u64(value) : w.i64(value);
  }
  if (typeof value !== "number") throw bad();
  switch (type) {
    case "uint8": return w.u8(value);
    case "int8": return w.i8(value);
    case "uint16": return w.u16(value);
    case "int16": return w.i16(value);
    case "uint32": return w.u32(value);
    case "int32": return w.i32(value);
    case "float32": return w.f32(value);
    case "float64": return w.f64(value);
    default: throw bad();
  }
}
