/**
 * A growable little-endian buffer for the GGUF header, KV section and tensor infos. Every write
 * calls reserve() before touching this.buf, since reserve() may replace it.
 */
export class ByteWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  get size(): number {
    return this.length;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  u8(v: number): void { const at = this.reserve(1); this.buf.writeUInt8(v, at); }
  i8(v: number): void { const at = this.reserve(1); this.buf.writeInt8(v, at); }
  u16(v: number): void { const at = this.reserve(2); this.buf.writeUInt16LE(v, at); }
  i16(v: number): void { const at = this.reserve(2); this.buf.writeInt16LE(v, at); }
  u32(v: number): void { const at = this.reserve(4); this.buf.writeUInt32LE(v, at); }
  i32(v: number): void { const at = this.reserve(4); this.buf.writeInt32LE(v, at); }
  f32(v: number): void { const at = this.reserve(4); this.buf.writeFloatLE(v, at); }
  f64(v: number): void { const at = this.reserve(8); this.buf.writeDoubleLE(v, at); }
  u64(v: number | bigint): void {
    const at = this.reserve(8);
    // Lengths and offsets are plain numbers: two u32 writes avoid a BigInt per string.
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
      this.buf.writeUInt32LE(v % 0x100000000, at);
      this.buf.writeUInt32LE(Math.floor(v / 0x100000000), at + 4);
    } else {
      this.buf.writeBigUInt64LE(BigInt(v), at);
    }
  }
  i64(v: number | bigint): void { const at = this.reserve(8); this.buf.writeBigInt64LE(BigInt(v), at); }

  /** A GGUF string: u64 byte length, then UTF-8 bytes without a terminator. */
  string(s: string): void {
    const n = Buffer.byteLength(s, "utf8");
    this.u64(n);
    const at = this.reserve(n);
    this.buf.write(s, at, n, "utf8");
  }

  zeros(n: number): void {
    const at = this.reserve(n);
    this.buf.fill(0, at, this.length);
  }

  private reserve(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    const at = this.length;
    this.length += n;
    return at;
  }
}
