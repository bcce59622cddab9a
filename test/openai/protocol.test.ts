import { describe, expect, test } from "vitest";
import { buildBody, errorMessage, parseResponse, ProtocolError, SAMPLING_FIELD_KIND, sampleSeed } from "../../src/backends/openai/protocol.js";
import { SamplingParamsSchema } from "../../src/sampling/index.js";
import { backoffMs, classifyResponse, retryAfter } from "../../src/backends/openai/retry.js";
import type { GenerationRequest } from "../../src/backends/types.js";

const request: GenerationRequest = {
  id: "7",
  messages: [
    { role: "system", content: "be brief" },
    { role: "user", content: "2+2?" },
  ],
  n: 4,
  sampling: { temperature: 0.6, top_p: 0.95, max_tokens: 100, seed: 41, stop: ["</s>"], top_k: 20, min_p: 0.05 },
};

describe("request bodies", () => {
  test("chat: sampling fields, vLLM extras when set, per-sample seed", () => {
    expect(JSON.parse(buildBody(request, 2, { mode: "chat", model: "Qwen/QwQ-32B" }))).toEqual({
      model: "Qwen/QwQ-32B",
      messages: request.messages,
      max_completion_tokens: 100,
      temperature: 0.6,
      top_p: 0.95,
      seed: 43,
      stop: ["</s>"],
      top_k: 20,
      min_p: 0.05,
    });
  });

  test("chat with prefill continues the assistant message (vLLM extension)", () => {
    const body = JSON.parse(buildBody({ ...request, assistantPrefill: "<think>\n" }, 0, { mode: "chat", model: "m" }));
    expect(body.messages.at(-1)).toEqual({ role: "assistant", content: "<think>\n" });
    expect(body.continue_final_message).toBe(true);
    expect(body.add_generation_prompt).toBe(false);
  });

  test("completions: the renderer gets the prefill as a final message to continue", () => {
    const seen: unknown[] = [];
    const renderPrompt = (m: { role: string; content: string }[], o: { continueFinalMessage: boolean }) => {
      seen.push([m.length, o.continueFinalMessage]);
      return m.map((x) => `<${x.role}>${x.content}`).join("");
    };
    const body = JSON.parse(buildBody({ ...request, assistantPrefill: "<think>" }, 0, { mode: "completions", model: "m", renderPrompt }));
    expect(body.prompt).toBe("<system>be brief<user>2+2?<assistant><think>");
    expect(body.max_tokens).toBe(100);
    expect(body.messages).toBeUndefined();
    expect(seen).toEqual([[3, true]]);
  });

  test("o1/o3 models: user roles only and no sampling fields (as upstream)", () => {
    const body = JSON.parse(buildBody(request, 0, { mode: "chat", model: "openai/o3-mini" }));
    expect(body).toEqual({
      model: "openai/o3-mini",
      messages: [
        { role: "user", content: "be brief" },
        { role: "user", content: "2+2?" },
      ],
      max_completion_tokens: 100,
    });
  });

  test("every sampling key that is set is sent: OpenAI's own and vLLM's extras", () => {
    const sampling = {
      temperature: 0.6, top_p: 0.95, max_tokens: 100, presence_penalty: 0.5, frequency_penalty: -0.5, logit_bias: { "198": -100 },
      repetition_penalty: 1.1, min_tokens: 8, ignore_eos: true,
    };
    const body = JSON.parse(buildBody({ ...request, sampling }, 0, { mode: "chat", model: "m" }));
    const { max_tokens, ...sent } = sampling;
    expect(body).toEqual({ model: "m", messages: request.messages, max_completion_tokens: max_tokens, ...sent });
    expect(Object.keys(SAMPLING_FIELD_KIND).sort()).toEqual(Object.keys(SamplingParamsSchema.shape).sort());
  });

  test("no seed stays no seed; seeds wrap at 2^32", () => {
    expect(sampleSeed(undefined, 3)).toBeUndefined();
    expect(sampleSeed(2 ** 32 - 1, 1)).toBe(0);
  });
});

describe("responses", () => {
  test("chat: text, reasoning_content, finish reason, usage", () => {
    const r = parseResponse(
      JSON.stringify({
        choices: [{ message: { content: "4", reasoning_content: "two and two" }, finish_reason: "length" }],
        usage: { prompt_tokens: 12, completion_tokens: 30 },
      }),
      "chat",
    );
    expect(r).toEqual({ text: "4", reasoning: "two and two", finishReason: "length", promptTokens: 12, completionTokens: 30 });
  });

  test("null content is an empty text, not a crash", () => {
    const r = parseResponse(JSON.stringify({ choices: [{ message: { content: null, reasoning: "r" }, finish_reason: "stop" }] }), "chat");
    expect(r).toEqual({ text: "", reasoning: "r", finishReason: "stop", promptTokens: 0, completionTokens: 0 });
  });

  test("malformed bodies are protocol errors", () => {
    expect(() => parseResponse('{"choices": [', "chat")).toThrow(ProtocolError);
    expect(() => parseResponse('{"choices": []}', "chat")).toThrow(ProtocolError);
    expect(() => parseResponse('{"choices": [{"text": 3}]}', "completions")).toThrow(ProtocolError);
  });

  test("server error messages in OpenAI, vLLM and FastAPI shapes", () => {
    expect(errorMessage('{"error":{"message":"context too long"}}')).toBe("context too long");
    expect(errorMessage('{"object":"error","message":"The model `x` does not exist.","code":404}')).toBe("The model `x` does not exist.");
    expect(errorMessage('{"detail":"Not Found"}')).toBe("Not Found");
    expect(errorMessage("<html>bad gateway</html>")).toBe("<html>bad gateway</html>");
  });
});

describe("retry policy", () => {
  const res = (status: number, headers: Record<string, string> = {}, body = "{}") => ({ status, headers, body });

  test("429 and 5xx retry (only 502-504 count against the endpoint), 401/403/404 stop the run, other 4xx fail the sample", () => {
    expect(classifyResponse(res(429), "chat")).toMatchObject({ kind: "retry", endpointFault: false });
    expect(classifyResponse(res(500), "chat")).toMatchObject({ kind: "retry", endpointFault: false });
    expect(classifyResponse(res(502), "chat")).toMatchObject({ kind: "retry", endpointFault: true });
    expect(classifyResponse(res(503), "chat")).toMatchObject({ kind: "retry", endpointFault: true });
    expect(classifyResponse(res(401), "chat")).toMatchObject({ kind: "fatal", status: 401 });
    expect(classifyResponse(res(404), "chat")).toMatchObject({ kind: "fatal", status: 404 });
    expect(classifyResponse(res(400, {}, '{"error":{"message":"too long"}}'), "chat")).toEqual({ kind: "fail", message: "HTTP 400: too long" });
    expect(classifyResponse(res(200, {}, "nope"), "chat")).toMatchObject({ kind: "retry", endpointFault: true });
  });

  test("Retry-After in seconds, as a date, and OpenAI's retry-after-ms", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfter({ "retry-after": "3" }, now)).toBe(3000);
    expect(retryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, now)).toBe(5000);
    expect(retryAfter({ "retry-after-ms": "250", "retry-after": "3" }, now)).toBe(250);
    expect(retryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfter({}, now)).toBeUndefined();
  });

  test("backoff doubles with jitter, caps at 30 s, and never undercuts Retry-After", () => {
    expect(backoffMs(1, undefined, () => 0)).toBe(250);
    expect(backoffMs(1, undefined, () => 1)).toBe(500);
    expect(backoffMs(3, undefined, () => 1)).toBe(2000);
    expect(backoffMs(20, undefined, () => 1)).toBe(30_000);
    expect(backoffMs(1, 4000, () => 1)).toBe(4000);
  });
});
