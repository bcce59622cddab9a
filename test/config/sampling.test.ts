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

  test.each(["openai/o1-mini", "o3-mini", "azure/o1"])("top_p is reset for the o1/o3 model %s", (model) => {
    const s = buildSampling({ samplingParams: "top_p=0.9", model });
    expect(s.params.top_p).toBe(1);
    expect(s.dict.get("top_p")).toBe(1);
    expect(s.warnings[0]).toMatch(/top_p is not supported for o1\/o3 models/);
  });

  test("top_p stays for other models, whatever their path says", () => {
    expect(buildSampling({ samplingParams: "top_p=0.9", model: "openai/gpt-4o" }).params.top_p).toBe(0.9);
    expect(buildSampling({ samplingParams: "top_p=0.9", model: "o1-team/qwen-7b" }).params.top_p).toBe(0.9);
  });

  test("an unknown key names it and lists the valid keys", () => {
    expect(() => buildSampling({ samplingParams: "temprature=0.6", model: "m" })).toThrow(ConfigError);
    expect(() => buildSampling({ samplingParams: "temprature=0.6", model: "m" })).toThrow(
      new RegExp(`"temprature".*${SAMPLING_KEYS.join(", ")}`),
    );
  });

  test.each(["temperature=-1", "max_tokens=0", "max_tokens=1.5", "top_p=2", "n=abc", "reasoning_effort=max", "presence_penalty=2.5", "min_tokens=-1", "ignore_eos=yes"])(
    "bad value %s names the key",
    (s) => {
      const key = s.split("=")[0]!;
      expect(() => buildSampling({ samplingParams: s, model: "m" })).toThrow(new RegExp(`for ${key}`));
    },
  );

  test("the engine's bounds apply before anything loads: temperature=1e9 is refused with its range", () => {
    expect(() => buildSampling({ samplingParams: "temperature=1e9", model: "m" })).toThrow(/for temperature: Too big: expected number to be <=1000000/);
  });

  test("reasoning_effort: refused for models that are not o1/o3 (as upstream), never handed to a backend", () => {
    expect(() => buildSampling({ samplingParams: "reasoning_effort=high", model: "Qwen/QwQ-32B" })).toThrow(/reasoning_effort is only supported for OpenAI o1\/o3/);
    const s = buildSampling({ samplingParams: "reasoning_effort=high", model: "openai/o3-mini" });
    expect(s.dict.get("reasoning_effort")).toBe("high");
    expect(s.params).not.toHaveProperty("reasoning_effort");
    expect(s.warnings.join("\n")).toMatch(/reasoning_effort=high is recorded .* but not sent/);
  });

  test("reasoning_effort's message lists its values", () => {
    expect(() => buildSampling({ samplingParams: "reasoning_effort=max", model: "m" })).toThrow(/expected one of "low"\|"medium"\|"high"/);
  });

  test("vLLM's min_tokens, ignore_eos and logit_bias (token ids as strings, as OpenAI's JSON)", () => {
    const s = buildSampling({ samplingParams: "min_tokens=5,ignore_eos=True,logit_bias={'198':-100}", model: "m" });
    expect(s.params).toMatchObject({ min_tokens: 5, ignore_eos: true, logit_bias: { "198": -100 } });
    const intKeys = buildSampling({ samplingParams: "{'max_tokens': 10, 'logit_bias': {198: -100, 5: 1.5}}", model: "m" });
    expect(intKeys.params.logit_bias).toEqual({ "198": -100, "5": 1.5 });
    expect(() => buildSampling({ samplingParams: "min_tokens=5,max_tokens=4", model: "m" })).toThrow(/min_tokens \(5\) must not exceed max_tokens \(4\)/);
    expect(() => buildSampling({ samplingParams: { logit_bias: { x: 1 } }, model: "m" })).toThrow(/for logit_bias: key "x" must be a token id/);
    expect(() => buildSampling({ samplingParams: { logit_bias: { "7": 101 } }, model: "m" })).toThrow(/for logit_bias: Too big/);
  });

  test("a library caller's object works like the string", () => {
    const s = buildSampling({ samplingParams: { temperature: 0.6, stop: "</s>" }, model: "m" });
    expect(s.params.temperature).toBe(0.6);
    expect(s.params.stop).toEqual(["</s>"]);
  });
});
