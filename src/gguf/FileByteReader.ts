import type { FileHandle } from "node:fs/promises";
import { GgufError } from "./GgufError.js";

const CHUNK = 1 << 20;

/**
 * Little-endian reads from a file through a window buffer, so the KV section of a multi-GB
 * model is read without touching its tensor data. Running past the end of the file is a
 * "truncated" GgufError naming the file and what was being read.
 */
export class FileByteReader {
  private buf = Buffer.alloc(0);
  private pos = 0;
  /** File offset of buf[0]. */
  private base = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    readonly fileSize: number,
  ) {}

  get offset(): number {
    return this.base + this.pos;
  }

  /** Makes `n` bytes available at the cursor. Synchronous callers check `available(n)` first. */
  async need(n: number, what: string): Promise<void> {
    if (this.available(n)) return;
    if (this.offset + n > this.fileSize) {
      throw new GgufError(
        `${this.path} is truncated: reading ${what} needs ${n} bytes at offset ${this.offset} but the file has ${this.fileSize}; download it again`,
      );
    }
    const rest = this.buf.subarray(this.pos);
    const size = Math.max(n, CHUNK);
    const next = Buffer.allocUnsafe(Math.min(size, this.fileSize - this.offset));
    rest.copy(next, 0);
    const want = next.length - rest.length;
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.file.read(next, rest.length + got, want - got, this.offset + rest.length + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.base = this.offset;
    this.buf = next.subarray(0, rest.length + got);
    this.pos = 0;
    if (!this.available(n)) {
      throw new GgufError(`${this.path} is truncated: reading ${what} at offset ${this.offset} hit the end of the file`);
    }
  }

  available(n: number): boolean {
    return this.buf.length - this.pos >= n;
  }

  u8(): number { return this.buf.readUInt8(this.advance(1)); }
  i8(): number { return this.buf.readInt8(this.advance(1)); }
  u16(): number { return this.buf.readUInt16LE(this.advance(2)); }
  i16(): number { return this.buf.readInt16LE(this.advance(2)); }
  u32(): number { return this.buf.readUInt32LE(this.advance(4)); }
  i32(): number { return this.buf.readInt32LE(this.advance(4)); }
  f32(): number { return this.buf.readFloatLE(this.advance(4)); }
  f64(): number { return this.buf.readDoubleLE(this.advance(8)); }
  u64(): bigint { return this.buf.readBigUInt64LE(this.advance(8)); }
  /** A u64 length or count; values above 2^53 come back as Infinity for the caller to reject. */
  u64Number(): number {
    const at = this.advance(8);
    const high = this.buf.readUInt32LE(at + 4);
    return high >= 0x200000 ? Infinity : high * 0x100000000 + this.buf.readUInt32LE(at);
  }
  i64(): bigint { return this.buf.readBigInt64LE(this.advance(8)); }

  utf8(length: number): string {
    const at = this.advance(length);
    return this.buf.toString("utf8", at, at + length);
  }

  private advance(n: number): number {
    const at = this.pos;
    this.pos += n;
    return at;
  }
}
