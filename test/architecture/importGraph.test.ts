import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { importCycles, layerViolations, parseLayers, readImportGraph, type ImportEdge } from "./importGraph.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const DOC = "docs/architecture.md";

describe("src/ follows docs/architecture.md", () => {
  const edges = readImportGraph(`${ROOT}src`);
  const layers = parseLayers(readFileSync(`${ROOT}${DOC}`, "utf8"), DOC);

  test("the graph is read", () => {
    expect(edges.some((e) => e.from.startsWith("pipeline/") && e.to === "runs/index.ts")).toBe(true);
    expect(edges.some((e) => e.from === "backends/index.ts" && e.to === "backends/llama/index.ts")).toBe(true);
  });

  test("every import goes down the layers, to another folder's index.ts", () => {
    expect(layerViolations(edges, layers, DOC)).toEqual([]);
  });

  test("no import cycle between files", () => {
    expect(importCycles(edges)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  const layers = parseLayers("```layers\npipeline/\ntasks/ runs/\ndata/ errors.ts\n```\n", "doc");
  const edge = (from: string, to: string): ImportEdge => ({ from, to });

  test("an import up or across a layer, past an index.ts, or from an unlisted folder is reported", () => {
    const problems = layerViolations(
      [
        edge("pipeline/index.ts", "runs/index.ts"),
        edge("data/types.ts", "tasks/index.ts"),
        edge("tasks/registry.ts", "runs/index.ts"),
        edge("runs/store.ts", "data/types.ts"),
        edge("report/index.ts", "runs/index.ts"),
        edge("tasks/a.ts", "errors.ts"),
      ],
      layers,
      "doc",
    );
    expect(problems).toEqual([
      "report/ is in no layer of doc; add it to the ```layers block",
      "data/types.ts imports tasks/index.ts: tasks/ is not in a layer below data/ (doc)",
      "tasks/registry.ts imports runs/index.ts: runs/ is not in a layer below tasks/ (doc)",
      "runs/store.ts imports data/types.ts: import data/ through data/index.ts (export what is needed there)",
    ]);
  });

  test("a cycle is found, however long", () => {
    const cycles = importCycles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts"), edge("c.ts", "a.ts"), edge("c.ts", "d.ts"), edge("e.ts", "e.ts")]);
    expect(cycles).toEqual([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
  });
});
