import { RunError } from "../errors.js";
import { PyFloat } from "./pyValue.js";

/**
 * MessagePack exactly as Python's `msgpack.packb(x, use_bin_type=True)` writes the run config
 * (spec 2.6): smallest int encodings, floats always float64, str8 allowed. A hand encoder rather
 * than @msgpack/msgpack because the int/float distinction lives in `PyFloat` tags, which a generic
 * encoder cannot see, and the subset needed is ~60 lines. Mappings must already be converted to
 * `[key, value]` pair arrays by the caller (upstream hashes pairs, not maps).
 */
export function packb(value: unknown): Uint8Array {
  const out: number[] = [];
  encode(value, out);
  return Uint8Array.from(out);
}

function encode(value: unknown, out: number[]): void {
  if (value === null || value === undefined) out.push(0xc0);
  else if (value === false) out.push(0xc2);
  else if (value === true) out.push(0xc3);
  else if (value instanceof PyFloat) float64(value.value, out);
  else if (typeof value === "number") {
    if (Number.isInteger(value)) integer(BigInt(value), out);
    else float64(value, out);
  } else if (typeof value === "bigint") integer(value, out);
  else if (typeof value === "string") str(value, out);
  else if (Array.isArray(value)) {
    header(value.length, 0x90, 15, 0xdc, out);
    for (const item of value) encode(item, out);
  } else {
    throw new RunError(`cannot hash the run config: unsupported value ${String(value)}`);
  }
}

function header(length: number, fix: number, fixMax: number, tag16: number, out: number[]): void {
  if (length <= fixMax) out.push(fix | length);
  else if (length < 0x10000) out.push(tag16, ...be(BigInt(length), 2));
  else out.push(tag16 + 1, ...be(BigInt(length), 4));
}

function str(s: string, out: number[]): void {
  const bytes = Buffer.from(s, "utf8");
  const n = bytes.length;
  if (n < 32) out.push(0xa0 | n);
  else if (n < 0x100) out.push(0xd9, n);
  else if (n < 0x10000) out.push(0xda, ...be(BigInt(n), 2));
  else out.push(0xdb, ...be(BigInt(n), 4));
  for (const b of bytes) out.push(b);
}

function integer(v: bigint, out: number[]): void {
  if (v >= 0n) {
    if (v < 0x80n) out.push(Number(v));
    else if (v < 0x100n) out.push(0xcc, Number(v));
    else if (v < 0x10000n) out.push(0xcd, ...be(v, 2));
    else if (v < 0x100000000n) out.push(0xce, ...be(v, 4));
    else if (v < 1n << 64n) out.push(0xcf, ...be(v, 8));
    else throw new RunError(`cannot hash the run config: integer ${v} does not fit in 64 bits`);
    return;
  }
  if (v >= -32n) out.push(Number(v & 0xffn));
  else if (v >= -0x80n) out.push(0xd0, ...be(v, 1));
  else if (v >= -0x8000n) out.push(0xd1, ...be(v, 2));
  else if (v >= -0x80000000n) out.push(0xd2, ...be(v, 4));
  else if (v >= -(1n << 63n)) out.push(0xd3, ...be(v, 8));
  else throw new RunError(`cannot hash the run config: integer ${v} does not fit in 64 bits`);
}

function float64(v: number, out: number[]): void {
  const buf = Buffer.alloc(8);
  buf.writeDoubleBE(v);
  out.push(0xcb, ...buf);
}

/** Big-endian two's complement bytes. */
function be(v: bigint, bytes: number): number[] {
  const mask = (1n << BigInt(bytes * 8)) - 1n;
  let u = v & mask;
  const res: number[] = new Array<number>(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    res[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return res;
}
