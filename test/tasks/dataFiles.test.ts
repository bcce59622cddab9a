import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRows } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";
import { PyFloat } from "../../src/py/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "skythought-datafiles-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = { path: "ignored/by-data-file", split: "test" };

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const full = path.join(dir, name);
  await writeFile(full, content);
  return full;
}

describe("--data-file JSONL", () => {
  it("reads one row per line and appends _index last", async () => {
    const f = await file("a.jsonl", '{"problem":"1+1","answer":"2"}\n\n{"problem":"2+2","answer":"4","_index":"9"}\n');
    const rows = await loadRows(spec, { dataFile: f });
    expect(rows).toEqual([
      { problem: "1+1", answer: "2", _index: "0" },
      { problem: "2+2", answer: "4", _index: "1" },
    ]);
    expect(Object.keys(rows[1]!)).toEqual(["problem", "answer", "_index"]);
  });

  it("names the line of a bad row", async () => {
    const f = await file("bad.jsonl", '{"a":1}\n{"a":\n');
    await expect(loadRows(spec, { dataFile: f })).rejects.toThrow(/bad\.jsonl:2: not valid JSON/);
    const g = await file("arr.jsonl", "[1,2]\n");
    await expect(loadRows(spec, { dataFile: g })).rejects.toThrow(/arr\.jsonl:1: each line must be a JSON object/);
  });
});

describe("floats stay floats (Python writes 27.0 back as 27.0)", () => {
  it("JSONL and JSON: a number with a point or exponent is a PyFloat, an integer a number; NaN is read", async () => {
    const f = await file("f.jsonl", '{"answer":27.0,"id":3,"p":"x = 1.5","w":[1e3,2]}\n{"answer":NaN,"id":4,"p":"y","w":[]}\n');
    const rows = await loadRows(spec, { dataFile: f });
    expect(rows[0]).toEqual({ answer: new PyFloat(27), id: 3, p: "x = 1.5", w: [new PyFloat(1000), 2], _index: "0" });
    expect(`${String(rows[0]!["answer"])} ${String(rows[1]!["answer"])}`).toBe("27.0 nan");
    const g = await file("f.json", '[{"answer":0.5}]');
    expect((await loadRows(spec, { dataFile: g }))[0]!["answer"]).toEqual(new PyFloat(0.5));
  });

  it("Parquet: DOUBLE and FLOAT columns are PyFloats", async () => {
    const columnData = [
      { name: "answer", data: [27, 0.5], type: "DOUBLE" as const },
      { name: "n", data: [1, 2], type: "INT32" as const },
    ];
    const rows = await loadRows(spec, { dataFile: await file("f.parquet", new Uint8Array(parquetWriteBuffer({ columnData }))) });
    expect(rows).toEqual([
      { answer: new PyFloat(27), n: 1, _index: "0" },
      { answer: new PyFloat(0.5), n: 2, _index: "1" },
    ]);
  });
});

describe("--data-file JSON", () => {
  it("reads an array of rows or an object holding one", async () => {
    const a = await file("a.json", '[{"q":"x"},{"q":"y"}]');
    expect((await loadRows(spec, { dataFile: a })).map((r) => r["q"])).toEqual(["x", "y"]);
    const b = await file("b.json", '{"version":1,"data":[{"q":"z"}]}');
    expect(await loadRows(spec, { dataFile: b })).toEqual([{ q: "z", _index: "0" }]);
  });

  it("rejects JSON that holds no row list", async () => {
    const f = await file("c.json", '{"a":[1],"b":[2]}');
    await expect(loadRows(spec, { dataFile: f })).rejects.toThrow(DataError);
  });
});

describe("--data-file CSV", () => {
  it("parses quoting, CRLF and per-column types like pandas", async () => {
    const csv = 'question,choice0,answer,score,flag,note\r\n"What is ""2"", really?",two,1,0.5,True,\r\n"multi\nline",x,3,2,false,n\r\n\r\n';
    const rows = await loadRows(spec, { dataFile: await file("a.csv", csv) });
    expect(rows).toEqual([
      { question: 'What is "2", really?', choice0: "two", answer: 1, score: new PyFloat(0.5), flag: true, note: null, _index: "0" },
      { question: "multi\nline", choice0: "x", answer: 3, score: new PyFloat(2), flag: false, note: "n", _index: "1" },
    ]);
  });

  it("an integer column with an empty cell is float, as in pandas", async () => {
    const rows = await loadRows(spec, { dataFile: await file("d.csv", "n,m\n1,a\n,b\n3,c\n") });
    expect(rows.map((r) => String(r["n"]))).toEqual(["1.0", "null", "3.0"]);
  });

  it("keeps a column with any non-number as text", async () => {
    const rows = await loadRows(spec, { dataFile: await file("b.csv", "id\n007\nx1\n") });
    expect(rows.map((r) => r["id"])).toEqual(["007", "x1"]);
  });

  it("reports a row whose field count differs from the header", async () => {
    await expect(loadRows(spec, { dataFile: await file("c.csv", "a,b\n1,2,3\n") })).rejects.toThrow(/row 2 has 3 fields but the header has 2/);
  });
});

describe("--data-file Parquet", () => {
  const columnData = [
    { name: "question_id", data: [70n, 71n], type: "INT64" as const },
    { name: "question", data: ["Which?", "Why?"], type: "STRING" as const },
    { name: "options", data: [["a", "b"], ["c"]] },
  ];

  it("reads rows with int64 as numbers and list columns as arrays", async () => {
    const f = await file("a.parquet", new Uint8Array(parquetWriteBuffer({ columnData })));
    expect(await loadRows(spec, { dataFile: f })).toEqual([
      { question_id: 70, question: "Which?", options: ["a", "b"], _index: "0" },
      { question_id: 71, question: "Why?", options: ["c"], _index: "1" },
    ]);
  });

  it("reads GZIP-compressed files", async () => {
    const buffer = parquetWriteBuffer({ columnData, codec: "GZIP", compressors: { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)) } });
    const rows = await loadRows(spec, { dataFile: await file("b.parquet", new Uint8Array(buffer)) });
    expect(rows.map((r) => r["question"])).toEqual(["Which?", "Why?"]);
  });

  it("reads ZSTD and LZ4_RAW files (polars writes ZSTD by default)", async () => {
    // Valid streams without a JS compressor at hand: a zstd frame of one raw (stored) block, and
    // an LZ4 block of one literals-only sequence. The decoders must still parse their framing.
    const zstd = (b: Uint8Array) => {
      const size = b.length;
      const header = [0x28, 0xb5, 0x2f, 0xfd, 0xa0, size & 255, (size >> 8) & 255, (size >> 16) & 255, size >>> 24];
      const block = ((size << 3) | 1) >>> 0; // last block, type raw
      return new Uint8Array([...header, block & 255, (block >> 8) & 255, (block >> 16) & 255, ...b]);
    };
    const lz4Raw = (b: Uint8Array) => {
      const extra: number[] = [];
      if (b.length >= 15) {
        let rest = b.length - 15;
        for (; rest >= 255; rest -= 255) extra.push(255);
        extra.push(rest);
      }
      return new Uint8Array([Math.min(b.length, 15) << 4, ...extra, ...b]);
    };
    for (const [codec, compress] of [["ZSTD", zstd], ["LZ4_RAW", lz4Raw]] as const) {
      const buffer = parquetWriteBuffer({ columnData, codec, compressors: { [codec]: compress } });
      const rows = await loadRows(spec, { dataFile: await file(`${codec}.parquet`, new Uint8Array(buffer)) });
      expect(rows.map((r) => [r["question_id"], r["question"], r["options"]])).toEqual([[70, "Which?", ["a", "b"]], [71, "Why?", ["c"]]]);
    }
  });

  it("reports a file that is not parquet", async () => {
    await expect(loadRows(spec, { dataFile: await file("c.parquet", "not parquet") })).rejects.toThrow(/c\.parquet: cannot read parquet/);
  });
});

it("rejects unknown extensions and missing files with the flag's name", async () => {
  await expect(loadRows(spec, { dataFile: path.join(dir, "x.txt") })).rejects.toThrow(
    /--data-file .*x\.txt: unsupported extension ".txt"; use .jsonl, .ndjson, .json, .csv or .parquet$/,
  );
  const ndjson = await file("n.NDJSON", '{"problem":"a"}\n');
  expect(await loadRows(spec, { dataFile: ndjson })).toEqual([{ problem: "a", _index: "0" }]);
  await expect(loadRows(spec, { dataFile: path.join(dir, "none.jsonl") })).rejects.toThrow(/--data-file .*none\.jsonl: cannot read it \(ENOENT\)/);
  await expect(loadRows(spec, { dataFile: dir })).rejects.toThrow(/--data-file .* is a folder; pass one file of rows \(\.jsonl, \.ndjson, \.json, \.csv or \.parquet\)$/);
});
