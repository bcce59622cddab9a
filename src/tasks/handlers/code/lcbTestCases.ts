import { inflateSync } from "node:zlib";
import { DataError } from "../../../errors.js";

/** One LiveCodeBench test: stdin text and expected stdout, or ("functional") argument lines and a result. */
export interface LcbTest {
  input: string;
  output: string;
  testtype: "stdin" | "functional";
}

const PROTO = 0x80;
const FRAME = 0x95;
const SHORT_BINUNICODE = 0x8c;
const BINUNICODE = 0x58; // "X"
const BINUNICODE8 = 0x8d;
const MEMOIZE = 0x94;
const BINPUT = 0x71; // "q"
const LONG_BINPUT = 0x72; // "r"
const STOP = 0x2e; // "."

/**
 * Reads a pickle that holds one `str` (what LiveCodeBench's encoder writes): protocol header,
 * frames, the string opcodes and memo bookkeeping. Anything else is not a string pickle.
 */
export function unpickleString(data: Buffer, where: string): string {
  let pos = 0;
  let value: string | undefined;
  const need = (n: number) => {
    if (pos + n > data.length) throw new DataError(`${where}: the pickle ends early (at byte ${pos}, needs ${n} more)`);
  };
  const text = (length: number) => {
    need(length);
    if (value !== undefined) throw new DataError(`${where}: the pickle holds more than one value; expected a single string`);
    value = data.toString("utf8", pos, pos + length);
    pos += length;
  };
  while (true) {
    need(1);
    const op = data[pos++]!;
    switch (op) {
      case PROTO:
        need(1);
        pos += 1;
        break;
      case FRAME:
        need(8);
        pos += 8;
        break;
      case SHORT_BINUNICODE:
        need(1);
        text(data[pos++]!);
        break;
      case BINUNICODE:
        need(4);
        pos += 4;
        text(data.readUInt32LE(pos - 4));
        break;
      case BINUNICODE8: {
        need(8);
        const length = data.readBigUInt64LE(pos);
        pos += 8;
        text(Number(length));
        break;
      }
      case MEMOIZE:
        break;
      case BINPUT:
        need(1);
        pos += 1;
        break;
      case LONG_BINPUT:
        need(4);
        pos += 4;
        break;
      case STOP:
        if (value === undefined) throw new DataError(`${where}: the pickle holds no string`);
        return value;
      default:
        throw new DataError(
          `${where}: pickle opcode 0x${op.toString(16)} at byte ${pos - 1} is not part of a single-string pickle; the private tests cannot be read`,
        );
    }
  }
}

/**
 * LiveCodeBench's `private_test_cases`: base64 of zlib of a pickled JSON string (as upstream's
 * translate_private_test_cases decodes it). Some releases store plain JSON, which starts with "[".
 */
export function decodePrivateTests(encoded: unknown, where: string): LcbTest[] {
  if (Array.isArray(encoded)) return encoded as LcbTest[]; // already decoded (a results.json row)
  if (typeof encoded !== "string") throw new DataError(`${where}: private_test_cases is not a string`);
  let json: string;
  if (encoded.trimStart().startsWith("[")) {
    json = encoded;
  } else {
    let inflated: Buffer;
    try {
      inflated = inflateSync(Buffer.from(encoded, "base64"));
    } catch (e) {
      throw new DataError(`${where}: private_test_cases is not base64 + zlib data (${(e as Error).message})`);
    }
    json = unpickleString(inflated, where);
  }
  let tests: unknown;
  try {
    tests = JSON.parse(json);
  } catch (e) {
    throw new DataError(`${where}: the decoded private tests are not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(tests)) throw new DataError(`${where}: the decoded private tests are not a list`);
  return tests as LcbTest[];
}
