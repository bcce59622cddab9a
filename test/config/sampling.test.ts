import { describe, expect, test } from "vitest";
import { buildSampling, SAMPLING_KEYS } from "../../src/config/sampling.js";
import { ConfigError } from "../../src/errors.js";
import { PyFloat } from "../../src/py/index.js";

describe("buildSampling", () => {
  test("user keys are merged over the default string, new keys appended, --n last", () => {
    const s = buildSampling({ samplingParams: "max_tokens=4096,temperature=0.1,top_k=20", n: 4, model: "m" });
    expect([...s.dict.keys()]).toEqual(["temperature", "top_p", "max_tokens", "top_k", "n"]);
    expect(s.dict.get("temperature")).toEqual(new PyFloat(0.1));
    expect(s.params).toEqual({ temperature: 0.1, top_p: 1, max_tokens: 4096, top_k: 20 });
    expect(s.n).toBe(4);
  });

  test("n is absent from the dict unless given", () => {
    expect(buildSampling({ model: "m" }).dict.has("n")).toBe(false);
  });

  test("temperature 0 with n > 1 forces n to 1 in place, with a warning", () => {
    const s = buildSampling({ samplingParams: "n=8", model: "m" });
    expect(s.n).toBe(1);
    expect(s.dict.get("n")).toBe(1);
    expect(s.warnings[0]).toMatch(/n was set to 1/);
  });

  test("top_p is reset for openai/o1 models", () => {
    const s = buildSampling({ samplingParams: "top_p=0.9", model: "openai/o1-mini" });
    expect(s.params.top_p).toBe(1);
    expect(s.dict.get("top_p")).toBe(1);
  });

  test("an unknown key names it and lists the valid keys", () => {
    expect(() => buildSampling({ samplingParams: "temprature=0.6", model: "m" })).toThrow(ConfigError);
    expect(() => buildSampling({ samplingParams: "temprature=0.6", model: "m" })).toThrow(
      new RegExp(`"temprature".*${SAMPLING_KEYS.join(", ")}`),
    );
  });

  test.each(["temperature=-1", "max_tokens=0", "max_tokens=1.5", "top_p=2", "n=abc", "reasoning_effort=max"])(
    "bad value %s names the key",
    (s) => {
      const key = s.split("=")[0]!;
      expect(() => buildSampling({ samplingParams: s, model: "m" })).toThrow(new RegExp(`for ${key}`));
    },
  );

  test("a library caller's object works like the string", () => {
    const s = buildSampling({ samplingParams: { temperature: 0.6, stop: "</s>" }, model: "m" });
    expect(s.params.temperature).toBe(0.6);
    expect(s.params.stop).toEqual(["</s>"]);
  });
});
