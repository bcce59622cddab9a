import { open, type FileHandle } from "node:fs/promises";
import { FileByteReader } from "./FileByteReader.js";
import { ggmlTensorBytes, llamaFileTypeName } from "./ggmlTypes.js";
import { GgufError } from "./GgufError.js";
import {
  GGUF_VALUE_TYPE,
  type GgufKv,
  type GgufScalar,
  type GgufScalarTypeName,
  type GgufMetadata,
  type GgufTensorInfo,
  type GgufValue,
  type GgufValueTypeName,
} from "./types.js";

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4; // GGML_MAX_DIMS

const TYPE_BY_ID = new Map<number, GgufValueTypeName>(
  Object.entries(GGUF_VALUE_TYPE).map(([name, id]) => [id, name as GgufValueTypeName]),
);

/** Bytes of each fixed-size value type (strings and arrays are variable). */
const FIXED_SIZE: Partial<Record<GgufValueTypeName, number>> = {
  uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4,
  uint64: 8, int64: 8, float64: 8,
};

/**
 * Reads the header, KV metadata and tensor infos of a GGUF file (v2 or v3) without reading
 * tensor data: a multi-GB model costs a few MB of reads (mostly the tokenizer).
 */
export async function readGgufMetadata(path: string): Promise<GgufMetadata> {
  let file: FileHandle;
  try {
    file = await open(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : `cannot be opened (${code ?? String(err)})`;
    throw new GgufError(`GGUF file ${path} ${why}; check the --model path`);
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new GgufError(`${path} is not a file; --model needs a .gguf file`);
    return await readFrom(new FileByteReader(file, path, stat.size), path);
  } finally {
    await file.close();
  }
}

async function readFrom(r: FileByteReader, path: string): Promise<GgufMetadata> {
  await r.need(24, "the header").catch(() => {
    throw new GgufError(`${path} is not a GGUF file: it is only ${r.fileSize} bytes long`);
  });
  const magic = r.u32();
  if (magic !== MAGIC) {
    throw new GgufError(`${path} is not a GGUF file (its first bytes are not "GGUF"); pass a .gguf model`);
  }
  const version = r.u32();
  if (version !== 2 && version !== 3) {
    throw new GgufError(`${path} is GGUF version ${version}; only versions 2 and 3 are supported`);
  }
  const tensorCount = safeCount(r.u64(), "tensor count", path);
  const kvCount = safeCount(r.u64(), "KV count", path);

  const entries: GgufKv[] = [];
  const kv = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await readString(r, `the key of KV pair ${i}`, path);
    await r.need(4, `the type of "${key}"`);
    const type = valueType(r.u32(), key, path);
    if (kv.has(key)) throw new GgufError(`${path} is malformed: key "${key}" appears twice`);
    const entry = await readKv(r, key, type, path);
    entries.push(entry);
    kv.set(key, entry.value);
  }

  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) tensors.push(await readTensorInfo(r, i, path));

  const alignment = kv.get("general.alignment") ?? DEFAULT_ALIGNMENT;
  if (typeof alignment !== "number" || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new GgufError(`${path} is malformed: general.alignment ${String(alignment)} is not a power of two`);
  }
  const dataOffset = Math.ceil(r.offset / alignment) * alignment;
  checkTensorData(tensors, dataOffset, r.fileSize, path);

  const architecture = stringOf(kv.get("general.architecture"));
  const fileType = kv.get("general.file_type");
  const contextLength = architecture ? kv.get(`${architecture}.context_length`) : undefined;
  return {
    path,
    version,
    kv,
    entries,
    tensors,
    tensorCount,
    architecture,
    name: stringOf(kv.get("general.name")),
    chatTemplate: stringOf(kv.get("tokenizer.chat_template")),
    fileType: typeof fileType === "number" ? llamaFileTypeName(fileType) : undefined,
    contextLength: typeof contextLength === "number" ? contextLength : undefined,
    parameterCount: tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0),
    alignment,
    dataOffset,
    fileSize: r.fileSize,
  };
}

async function readKv(r: FileByteReader, key: string, type: GgufValueTypeName, path: string): Promise<GgufKv> {
  if (type !== "array") return { key, type, value: await readValue(r, type, key, path) };
  await r.need(12, `the array header of "${key}"`);
  const itemType = valueType(r.u32(), key, path);
  if (itemType === "array") {
    throw new GgufError(`${path} is malformed: "${key}" is an array of arrays, which llama.cpp does not accept`);
  }
  const count = safeCount(r.u64(), `length of "${key}"`, path);
  return { key, type, itemType, value: await readArray(r, itemType, count, key, path) };
}

async function readArray(
  r: FileByteReader,
  itemType: GgufScalarTypeName,
  count: number,
  key: string,
  path: string,
): Promise<GgufScalar[]> {
  const size = FIXED_SIZE[itemType];
  // Check the claimed length against the bytes left before allocating anything for it.
  const minBytes = count * (size ?? 8);
  if (r.offset + minBytes > r.fileSize) {
    throw new GgufError(`${path} is truncated: array "${key}" claims ${count} items but the file ends first`);
  }
  const out: GgufScalar[] = new Array(count);
  if (size !== undefined) {
    await r.need(count * size, `array "${key}"`);
    for (let i = 0; i < count; i++) out[i] = readFixed(r, itemType);
    return out;
  }
  // Strings: tokenizer arrays hold ~150k of them, so stay synchronous while the window has the bytes.
  for (let i = 0; i < count; i++) {
    if (!r.available(8)) await r.need(8, `array "${key}"`);
    const length = checkLength(r.u64Number(), `an item of "${key}"`, path);
    if (!r.available(length)) await r.need(length, `array "${key}"`);
    out[i] = r.utf8(length);
  }
  return out;
}

async function readValue(r: FileByteReader, type: GgufScalarTypeName, key: string, path: string): Promise<GgufScalar> {
  if (type === "string") return readString(r, `the value of "${key}"`, path);
  await r.need(FIXED_SIZE[type]!, `the value of "${key}"`);
  return readFixed(r, type);
}

function readFixed(r: FileByteReader, type: GgufScalarTypeName): GgufScalar {
  switch (type) {
    case "uint8": return r.u8();
    case "int8": return r.i8();
    case "uint16": return r.u16();
    case "int16": return r.i16();
    case "uint32": return r.u32();
    case "int32": return r.i32();
    case "float32": return r.f32();
    case "float64": return r.f64();
    case "bool": return r.u8() !== 0;
    case "uint64": return narrow(r.u64());
    case "int64": return narrow(r.i64());
    default: throw new Error(`readFixed: ${type} is not a fixed-size type`);
  }
}

async function readString(r: FileByteReader, what: string, path: string): Promise<string> {
  if (!r.available(8)) await r.need(8, what);
  const length = checkLength(r.u64Number(), what, path);
  if (!r.available(length)) await r.need(length, what);
  return r.utf8(length);
}

async function readTensorInfo(r: FileByteReader, index: number, path: string): Promise<GgufTensorInfo> {
  const name = await readString(r, `the name of tensor ${index}`, path);
  await r.need(4, `tensor "${name}"`);
  const dims = r.u32();
  if (dims < 1 || dims > MAX_DIMS) {
    throw new GgufError(`${path} is malformed: tensor "${name}" has ${dims} dimensions (1 to ${MAX_DIMS} allowed)`);
  }
  await r.need(dims * 8 + 12, `tensor "${name}"`);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(safeCount(r.u64(), `a dimension of "${name}"`, path));
  const type = r.u32();
  const offset = safeCount(r.u64(), `the offset of "${name}"`, path);
  const bytes = ggmlTensorBytes(type, shape.reduce((a, b) => a * b, 1));
  return bytes === undefined ? { name, shape, type, offset } : { name, shape, type, offset, bytes };
}

function checkTensorData(tensors: GgufTensorInfo[], dataOffset: number, fileSize: number, path: string): void {
  for (const t of tensors) {
    if (t.bytes !== undefined && dataOffset + t.offset + t.bytes > fileSize) {
      throw new GgufError(
        `${path} is truncated: tensor "${t.name}" ends at byte ${dataOffset + t.offset + t.bytes} but the file has ${fileSize}; download it again`,
      );
    }
  }
}

function valueType(id: number, key: string, path: string): GgufValueTypeName {
  const type = TYPE_BY_ID.get(id);
  if (!type) throw new GgufError(`${path} is malformed: "${key}" has unknown value type ${id}`);
  return type;
}

function safeCount(value: bigint, what: string, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GgufError(`${path} is malformed: ${what} is ${value}, too large`);
  }
  return Number(value);
}

function checkLength(length: number, what: string, path: string): number {
  if (!Number.isFinite(length)) throw new GgufError(`${path} is malformed: the length of ${what} is too large`);
  return length;
}

function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function stringOf(value: GgufValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
