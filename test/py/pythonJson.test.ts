import { describe, expect, test } from "vitest";
import { floatRepr, parsePythonJson, PyFloat, pythonJson } from "../../src/py/index.js";

describe("pythonJson matches Python's json.dumps", () => {
  test("float repr", () => {
    const values = [1.0, 1e-5, 1e16, 1e15, 123456789012345678.0, 0.0001, -0.0, 1.5e-7, 3.14, NaN, Infinity, 1e22, 0.1 + 0.2];
    expect(values.map(floatRepr).join(", ")).toBe(
      "1.0, 1e-05, 1e+16, 1000000000000000.0, 1.2345678901234568e+17, 0.0001, -0.0, 1.5e-07, 3.14, NaN, Infinity, 1e+22, 0.30000000000000004",
    );
  });

  test("ints stay ints, PyFloat stays float, big ints keep their digits", () => {
    expect(pythonJson([1, new PyFloat(1), 2 ** 60, 2n ** 70n], { ensureAscii: true, indent: 0 }).replaceAll("\n", "")).toBe(
      "[1,1.0,1152921504606846976,1180591620717411303424]",
    );
  });

  test("ensure_ascii escapes everything outside space..~; without it only controls, quote and backslash", () => {
    const v = { a: "é\u007f\u001f\"\\ 😀" };
    expect(pythonJson(v, { ensureAscii: true })).toBe('{\n    "a": "\\u00e9\\u007f\\u001f\\"\\\\ \\ud83d\\ude00"\n}');
    expect(pythonJson(v, { ensureAscii: false })).toBe('{\n    "a": "é\u007f\\u001f\\"\\\\ 😀"\n}');
  });

  test("indent=4 layout with empty containers", () => {
    expect(pythonJson({ x: [], y: {}, z: [1, { q: null }] }, { ensureAscii: true })).toBe(
      '{\n    "x": [],\n    "y": {},\n    "z": [\n        1,\n        {\n            "q": null\n        }\n    ]\n}',
    );
  });

  test("parse then dump gives the same bytes (floats, key order of numeric keys)", () => {
    const text = pythonJson(new Map<string, unknown>([["10", { a: new PyFloat(2), b: [1e-5, 3] }], ["2", { c: "x" }]]), { ensureAscii: false });
    const back = parsePythonJson(text, "results.json", "");
    expect(back).toBeInstanceOf(Map);
    expect([...(back as Map<string, unknown>).keys()]).toEqual(["10", "2"]);
    expect(pythonJson(back, { ensureAscii: false })).toBe(text);
  });
});
