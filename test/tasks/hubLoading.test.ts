import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadRows, type LoadRowsOptions } from "../../src/data/index.js";

// A local stand-in for huggingface.co and datasets-server.huggingface.co that replays responses
// recorded from the real APIs (same JSON shapes, URLs rewritten to this server).
let server: Server;
let base: string;
let cacheDir: string;
const requests: { url: string; auth: string | undefined }[] = [];
const routes = new Map<string, { status?: number; type: string; body: Uint8Array | string; headers?: Record<string, string> }>();

function shard(problems: string[]): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: "problem", data: problems, type: "STRING" },
        { name: "level", data: problems.map((_, i) => BigInt(i + 1)), type: "INT64" },
      ],
    }),
  );
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    requests.push({ url: req.url ?? "", auth: req.headers.authorization });
    const route = routes.get(req.url ?? "");
    if (!route) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}');
      return;
    }
    res.writeHead(route.status ?? 200, { "content-type": route.type, ...route.headers }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  requests.length = 0;
  routes.clear();
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "skythought-hub-"));
  return () => rm(cacheDir, { recursive: true, force: true });
});

function options(extra: LoadRowsOptions = {}): LoadRowsOptions {
  return { cacheDir, offline: false, hubEndpoint: base, datasetsServerEndpoint: base, token: "hf_test", ...extra };
}

function recordParquetExport(): void {
  const file = (split: string, name: string) => ({
    dataset: "qq8933/MATH500",
    config: "default",
    split,
    url: `${base}/datasets/qq8933/MATH500/resolve/refs%2Fconvert%2Fparquet/default/${split}/${name}`,
    filename: name,
    size: 1000,
  });
  // Shards listed out of order: row order must follow the file names.
  routes.set("/parquet?dataset=qq8933%2FMATH500", {
    type: "application/json",
    body: JSON.stringify({ parquet_files: [file("test", "0001.parquet"), file("train", "0000.parquet"), file("test", "0000.parquet")], pending: [], failed: [], partial: false }),
  });
  routes.set("/datasets/qq8933/MATH500/resolve/refs%2Fconvert%2Fparquet/default/test/0000.parquet", { type: "application/octet-stream", body: shard(["p0", "p1"]) });
  routes.set("/datasets/qq8933/MATH500/resolve/refs%2Fconvert%2Fparquet/default/test/0001.parquet", { type: "application/octet-stream", body: shard(["p2"]) });
}

describe("Hub parquet export", () => {
  it("loads the shards of a split in order, with the token, and caches them", async () => {
    recordParquetExport();
    const rows = await loadRows({ path: "qq8933/MATH500", subset: null, split: "test" }, options());
    expect(rows).toEqual([
      { problem: "p0", level: 1, _index: "0" },
      { problem: "p1", level: 2, _index: "1" },
      { problem: "p2", level: 1, _index: "2" },
    ]);
    expect(requests.every((r) => r.auth === "Bearer hf_test")).toBe(true);

    requests.length = 0;
    const again = await loadRows({ path: "qq8933/MATH500", split: "test" }, options({ offline: true }));
    expect(again).toEqual(rows);
    expect(requests).toEqual([]);
  });

  it("reads only the requested columns, from the network and from the cache", async () => {
    recordParquetExport();
    const spec = { path: "qq8933/MATH500", split: "test", columns: ["level"] };
    expect(await loadRows(spec, options())).toEqual([
      { level: 1, _index: "0" },
      { level: 2, _index: "1" },
      { level: 1, _index: "2" },
    ]);
    expect((await loadRows({ ...spec, columns: ["problem"] }, options({ offline: true }))).map((r) => r["problem"])).toEqual(["p0", "p1", "p2"]);
  });

  it("fails offline without a cache entry, naming --data-file", async () => {
    await expect(loadRows({ path: "qq8933/MATH500", split: "test" }, options({ offline: true }))).rejects.toThrow(
      /qq8933\/MATH500 .* is not in the cache .* HF_HUB_OFFLINE .* --data-file PATH/,
    );
    expect(requests).toEqual([]);
  });

  it("honours HF_HUB_OFFLINE=1 from the environment", async () => {
    const saved = process.env["HF_HUB_OFFLINE"];
    process.env["HF_HUB_OFFLINE"] = "1";
    try {
      const { offline: _, ...rest } = options();
      await expect(loadRows({ path: "qq8933/MATH500", split: "test" }, rest)).rejects.toThrow(/HF_HUB_OFFLINE is set/);
    } finally {
      if (saved === undefined) delete process.env["HF_HUB_OFFLINE"];
      else process.env["HF_HUB_OFFLINE"] = saved;
    }
    expect(requests).toEqual([]);
  });

  it("lists the available config/split pairs for a wrong split", async () => {
    recordParquetExport();
    await expect(loadRows({ path: "qq8933/MATH500", split: "validation" }, options())).rejects.toThrow(
      /no parquet export for config "default", split "validation"; available: default\/test, default\/train/,
    );
  });

  it("refuses a partial export of a big split", async () => {
    const url = `${base}/datasets/AI-MO/NuminaMath-CoT/resolve/refs%2Fconvert%2Fparquet/default/partial-train/0000.parquet`;
    routes.set("/parquet?dataset=AI-MO%2FNuminaMath-CoT", {
      type: "application/json",
      body: JSON.stringify({ parquet_files: [{ dataset: "AI-MO/NuminaMath-CoT", config: "default", split: "train", url, filename: "0000.parquet", size: 1 }], partial: true }),
    });
    await expect(loadRows({ path: "AI-MO/NuminaMath-CoT", split: "train" }, options())).rejects.toThrow(/parquet export of default\/train is partial/);
  });

  it("explains a refused (gated) dataset", async () => {
    routes.set("/parquet?dataset=Idavidrein%2Fgpqa", { status: 401, type: "application/json", body: '{"error":"The dataset is gated"}' });
    await expect(loadRows({ path: "Idavidrein/gpqa", subset: "gpqa_diamond", split: "train" }, options())).rejects.toThrow(
      /Idavidrein\/gpqa: the Hub refused access \(HTTP 401.*HF_TOKEN/,
    );
  });

  it("says when the Hub cannot be reached", async () => {
    const closed = "http://127.0.0.1:9";
    await expect(loadRows({ path: "a/b", split: "test" }, options({ datasetsServerEndpoint: closed }))).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:9 .*--data-file/,
    );
  });

  it("does not cache a split whose files cannot be parsed", async () => {
    recordParquetExport();
    routes.set("/datasets/qq8933/MATH500/resolve/refs%2Fconvert%2Fparquet/default/test/0001.parquet", { type: "application/octet-stream", body: "garbage" });
    await expect(loadRows({ path: "qq8933/MATH500", split: "test" }, options())).rejects.toThrow(/cannot read parquet/);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

describe("Hub files at a pinned revision", () => {
  it("follows the dataset card's configs to the split's files", async () => {
    const rev = "refs%2Fpr%2F2";
    routes.set(`/api/datasets/KbsdJames/Omni-MATH/tree/${rev}?recursive=true`, {
      type: "application/json",
      body: JSON.stringify([
        { type: "file", oid: "a", size: 10, path: "README.md" },
        { type: "directory", oid: "b", size: 0, path: "data" },
        { type: "file", oid: "c", size: 10, path: "data/test.jsonl" },
        { type: "file", oid: "d", size: 10, path: "data/test_rule_based.jsonl" },
      ]),
    });
    routes.set(`/datasets/KbsdJames/Omni-MATH/resolve/${rev}/README.md`, {
      type: "text/plain",
      body: "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: test\n    path: data/test.jsonl\n  - split: test_rule_based\n    path: data/test_rule_based.jsonl\n---\n# Omni-MATH\n",
    });
    routes.set(`/datasets/KbsdJames/Omni-MATH/resolve/${rev}/data/test_rule_based.jsonl`, {
      type: "application/jsonl",
      body: '{"problem":"q1","answer":"1"}\n{"problem":"q2","answer":"2"}\n',
    });
    const spec = { path: "KbsdJames/Omni-MATH", subset: null, split: "test_rule_based", kwargs: { revision: "refs/pr/2" } };
    const rows = await loadRows(spec, options());
    expect(rows).toEqual([
      { problem: "q1", answer: "1", _index: "0" },
      { problem: "q2", answer: "2", _index: "1" },
    ]);
    expect(await loadRows(spec, options({ offline: true }))).toEqual(rows);
  });

  it("falls back to split-named files without a card", async () => {
    routes.set("/api/datasets/o/d/tree/v1?recursive=true", {
      type: "application/json",
      body: JSON.stringify([
        { type: "file", path: "train.jsonl" },
        { type: "file", path: "data/test-00000-of-00001.parquet" },
      ]),
    });
    routes.set("/datasets/o/d/resolve/v1/data/test-00000-of-00001.parquet", { type: "application/octet-stream", body: shard(["t0"]) });
    const rows = await loadRows({ path: "o/d", split: "test", kwargs: { revision: "v1" } }, options());
    expect(rows).toEqual([{ problem: "t0", level: 1, _index: "0" }]);
  });

  it("takes every format of data/formats.ts from a revision (.ndjson too), skips other files", async () => {
    routes.set("/api/datasets/o/e/tree/v2?recursive=true", {
      type: "application/json",
      body: JSON.stringify([
        { type: "file", path: "test.txt" },
        { type: "file", path: "test-0.ndjson" },
        { type: "file", path: "test-1.CSV" },
      ]),
    });
    routes.set("/datasets/o/e/resolve/v2/test-0.ndjson", { type: "application/x-ndjson", body: '{"problem":"n0"}\n' });
    routes.set("/datasets/o/e/resolve/v2/test-1.CSV", { type: "text/csv", body: "problem\nc0\n" });
    const rows = await loadRows({ path: "o/e", split: "test", kwargs: { revision: "v2" } }, options());
    expect(rows).toEqual([{ problem: "n0", _index: "0" }, { problem: "c0", _index: "1" }]);
    expect(requests.some((r) => r.url.endsWith("test.txt"))).toBe(false);
  });
});

describe("URL datasets", () => {
  it("reads JSON lines from the URL and caches them by URL", async () => {
    routes.set("/data/LiveAoPSBench-2024.jsonl", { type: "application/jsonl", body: '{"question":"a","answer":"1"}\n{"question":"b","answer":"2"}' });
    const spec = { path: `${base}/data/LiveAoPSBench-2024.jsonl`, subset: null, split: null };
    const rows = await loadRows(spec, options());
    expect(rows.map((r) => [r["question"], r._index])).toEqual([["a", "0"], ["b", "1"]]);
    routes.clear();
    expect(await loadRows(spec, options({ offline: true }))).toEqual(rows);
  });

  it("refuses a split or subset, as upstream does", async () => {
    await expect(loadRows({ path: `${base}/x.jsonl`, split: "test" }, options())).rejects.toThrow(/URL dataset does not support dataset_split/);
  });
});

describe("loading-script datasets (trust_remote_code)", () => {
  const lcb = "/datasets/livecodebench/code_generation_lite/resolve/main";
  const line = (id: string) => JSON.stringify({ question_id: id, question_content: `problem ${id}`, difficulty: "easy" });

  it("LiveCodeBench: the version_tag's files, in the script's order, cached per tag", async () => {
    for (const [file, ids] of [["test.jsonl", ["a1", "a2"]], ["test2.jsonl", ["b1"]], ["test3.jsonl", ["c1"]]] as const) {
      routes.set(`${lcb}/${file}`, { type: "application/jsonl", body: ids.map(line).join("\n") + "\n" });
    }
    const spec = (version_tag: string) => ({ path: "livecodebench/code_generation_lite", split: "test", kwargs: { version_tag, trust_remote_code: true } });
    const v2 = await loadRows(spec("release_v2"), options());
    expect(v2.map((r) => [r["question_id"], r._index])).toEqual([["a1", "0"], ["a2", "1"], ["b1", "2"]]);
    expect(requests.map((r) => r.url)).toEqual([`${lcb}/test.jsonl`, `${lcb}/test2.jsonl`]);
    expect((await loadRows(spec("v2_v3"), options())).map((r) => r["question_id"])).toEqual(["b1", "c1"]);
    routes.clear();
    expect(await loadRows(spec("release_v2"), options({ offline: true }))).toEqual(v2);
  });

  it("LiveCodeBench: an unknown version_tag lists the valid ones", async () => {
    const spec = { path: "livecodebench/code_generation_lite", split: "test", kwargs: { version_tag: "release_v9" } };
    await expect(loadRows(spec, options())).rejects.toThrow(/unknown dataset_kwargs.version_tag "release_v9"; use one of release_v1, .*release_latest, v1, .*v5_v6/);
    expect(requests).toEqual([]);
  });
});
