import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, test } from "vitest";
import { mathEqual } from "../../src/scoring/index.js";
import { parseLatex } from "../../src/scoring/math/mathJson.js";

// @cortex-js/compute-engine 0.140.0 declares node >= 22.3 (npm prints EBADENGINE on Node 20), and
// every release with the standalone `latex-syntax` entry we load declares >= 21.7. We promise Node
// 20.19+ and keep 0.140.0 on this evidence: the file we load uses no API newer than Node 20, and
// the symbolic path works (CI runs these tests on Node 20).

// Resolved as src/scoring/math/mathJson.ts resolves it: require(), so the UMD build, not esm-min.
const loaded = createRequire(new URL("../../src/scoring/math/mathJson.ts", import.meta.url)).resolve("@cortex-js/compute-engine/latex-syntax");

test("the latex-syntax file we load calls no API that Node 20 lacks", () => {
  const source = readFileSync(loaded, "utf8");
  const node22Only = [
    /\bPromise\.withResolvers\b/, // Node 22
    /\b(Object|Map)\.groupBy\b/, // Node 21
    /\bArray\.fromAsync\b/, // Node 22
    /\bIterator\.from\b/, // Node 22 (iterator helpers)
    /\.(union|intersection|difference|symmetricDifference|isSubsetOf|isSupersetOf|isDisjointFrom)\(/, // Set methods, Node 22
  ];
  for (const api of node22Only) expect(source, `${loaded} uses ${api}`).not.toMatch(api);
});

test(`the symbolic path parses and decides on this Node (${process.version})`, () => {
  expect(parseLatex("\\frac{\\sqrt{2}}{2}+x^2")).not.toBeNull();
  expect(mathEqual("\\frac{x}{7}+\\frac{2}{7}", "\\frac{x+2}{7}")).toBe(true);
  expect(mathEqual("\\frac{1+\\sqrt{5}}{2}", "2")).toBe(false);
});
