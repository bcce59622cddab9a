import { describe, expect, test } from "vitest";
import { parseKeyValues } from "../../src/config/keyValues.js";
import { ConfigError } from "../../src/errors.js";
import { parsePythonLiteral, PyFloat } from "../../src/py/index.js";

const parse = (s: string) => Object.fromEntries(parseKeyValues(s, "--backend-args"));

describe("parseKeyValues (spec 2.4, upstream's test_cli_util cases)", () => {
  test("spaces are removed in the k=v form", () => {
    expect(parse("a=1, b=2")).toEqual({ a: 1, b: 2 });
  });

  test("values that are not literals stay raw strings", () => {
    expect(parse("tensor_parallel_size=8,revision=0dccf55,dtype=torch.float32")).toEqual({
      tensor_parallel_size: 8,
      revision: "0dccf55",
      dtype: "torch.float32",
    });
    expect(parse("x=float32,y=refs/pr/58,z=inf")).toEqual({ x: "float32", y: "refs/pr/58", z: "inf" });
  });

  test.each(["a=1,b", "a=1,b=two=2", "not a dict"])("%j is an error naming the flag", (s) => {
    expect(() => parse(s)).toThrow(ConfigError);
    expect(() => parse(s)).toThrow(/--backend-args/);
  });

  test("empty input is an empty dict", () => {
    expect(parse("")).toEqual({});
    expect(parse("   ")).toEqual({});
  });

  test("int and float stay distinct", () => {
    const d = parseKeyValues("temperature=1,top_p=1.0,x=1.,y=1e-3,z=0x10,w=1_000,v=-1", "--sampling-params");
    expect(d.get("temperature")).toBe(1);
    expect(d.get("top_p")).toEqual(new PyFloat(1));
    expect(d.get("x")).toEqual(new PyFloat(1));
    expect(d.get("y")).toEqual(new PyFloat(0.001));
    expect(d.get("z")).toBe(16);
    expect(d.get("w")).toBe(1000);
    expect(d.get("v")).toBe(-1);
  });

  test("True, False, None and quoted strings", () => {
    expect(parse("a=True,b=False,c=None,d='x',e=\"y\"")).toEqual({ a: true, b: false, c: null, d: "x", e: "y" });
  });

  test("the whole-dict form keeps spaces, nesting and key order", () => {
    const d = parseKeyValues("{'preprocess_config': {'difficulty': 'easy hard'}, 'b': [1, 2.5, (3,)], 'a': 'x'}", "--task-args");
    expect([...d.keys()]).toEqual(["preprocess_config", "b", "a"]);
    expect(Object.fromEntries(d.get("preprocess_config") as Map<string, unknown>)).toEqual({ difficulty: "easy hard" });
    expect(d.get("b")).toEqual([1, new PyFloat(2.5), [3]]);
  });

  test("a repeated key keeps its first position and the last value", () => {
    expect([...parseKeyValues("a=1,b=2,a=3", "--backend-args")]).toEqual([["a", 3], ["b", 2]]);
  });
});

describe("parsePythonLiteral", () => {
  test.each([
    ["'a\\nb'", "a\nb"],
    ["r'a\\nb'", "a\\nb"],
    ["'\\x41\\u00e9\\101'", "Aé" + "A"],
    ["'ab' \"cd\"", "abcd"],
    ["'''x'y'''", "x'y"],
    ["'\\q'", "\\q"],
    [".5", new PyFloat(0.5)],
    ["-0.0", new PyFloat(-0)],
    ["  7", 7],
    ["0b101", 5],
    ["0o17", 15],
    ["12345678901234567890", 12345678901234567890n],
  ])("%s", (src, expected) => {
    expect(parsePythonLiteral(src)).toEqual(expected);
  });

  test("a dict's int keys become their decimal strings, as json.dumps writes them (logit_bias's token ids)", () => {
    expect(parsePythonLiteral("{198: -100, 0x10: 1.5, 'a': 2}")).toEqual(new Map<string, unknown>([["198", -100], ["16", new PyFloat(1.5)], ["a", 2]]));
  });

  test.each(["017", "1__0", "2j", "b'x'", "{1, 2}", "{1.5: 1}", "{None: 1}", "[1,", "foo", "--1", "1 2", "f'x'"])("%s is not a literal", (src) => {
    expect(parsePythonLiteral(src)).toBeUndefined();
  });
});
