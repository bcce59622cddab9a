import { describe, expect, test } from "vitest";
import { parseOpenAIArgs } from "../../src/backends/openai/args.js";
import { createOpenAIBackend } from "../../src/backends/openai/index.js";
import { ConfigError } from "../../src/errors.js";
import { PyFloat } from "../../src/py/index.js";

describe("openai backend args", () => {
  test("defaults: OpenAI's URL, --model as served name, chat mode", () => {
    const s = parseOpenAIArgs("my-org/my-model", {}, {});
    expect(s).toMatchObject({
      baseUrls: ["https://api.openai.com/v1"],
      model: "my-org/my-model",
      mode: "chat",
      max_concurrency: 32,
      timeout: 3600,
      first_byte_timeout: 30,
      max_retries: 6,
    });
    expect(s.api_key).toBeUndefined();
  });

  test("several base URLs separated by |, trailing slashes dropped", () => {
    const s = parseOpenAIArgs("m", { base_url: "http://a:8000/v1/|http://b:8000/v1" }, {});
    expect(s.baseUrls).toEqual(["http://a:8000/v1", "http://b:8000/v1"]);
  });

  test("environment fallbacks for api_key and base_url", () => {
    const s = parseOpenAIArgs("m", {}, { OPENAI_API_KEY: "sk-env", OPENAI_BASE_URL: "http://h:1/v1" });
    expect(s.api_key).toBe("sk-env");
    expect(s.baseUrls).toEqual(["http://h:1/v1"]);
    expect(parseOpenAIArgs("m", { api_key: "sk-arg" }, { OPENAI_API_KEY: "sk-env" }).api_key).toBe("sk-arg");
  });

  test("numbers parsed as Python floats are accepted", () => {
    const s = parseOpenAIArgs("m", { timeout: new PyFloat(2.5), max_concurrency: 4, model: "served" }, {});
    expect(s.timeout).toBe(2.5);
    expect(s.max_concurrency).toBe(4);
    expect(s.model).toBe("served");
  });

  test("an unknown key names itself and lists the valid keys", () => {
    expect(() => parseOpenAIArgs("m", { tensor_parallel_size: 8 }, {})).toThrow(ConfigError);
    expect(() => parseOpenAIArgs("m", { tensor_parallel_size: 8 }, {})).toThrow(
      /unknown --backend-args key "tensor_parallel_size" for backend openai; valid keys: base_url, api_key, model, organization, project, max_concurrency, timeout, first_byte_timeout, max_retries, mode/,
    );
  });

  test("bad values say which key", () => {
    expect(() => parseOpenAIArgs("m", { base_url: "ftp://x" }, {})).toThrow(/base_url.*http\(s\) URL/);
    expect(() => parseOpenAIArgs("m", { max_concurrency: 0 }, {})).toThrow(/max_concurrency/);
    expect(() => parseOpenAIArgs("m", { mode: "stream" }, {})).toThrow(/mode/);
    expect(() => parseOpenAIArgs("m", { max_retries: 1.5 }, {})).toThrow(/max_retries/);
  });

  test("mode=completions without a chat template is refused up front", () => {
    expect(() => createOpenAIBackend({ model: "m", args: { mode: "completions", base_url: "http://127.0.0.1:9/v1" } })).toThrow(
      /mode=completions renders the chat template/,
    );
  });
});
