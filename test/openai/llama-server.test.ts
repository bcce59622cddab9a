import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createOpenAIBackend, type OpenAIBackend } from "../../src/backends/openai/index.js";
import type { ChatMessage } from "../../src/backends/types.js";
import { testModel } from "../fixtures/models.js";
import { collect, expectedKeys, keys, makeRequests } from "./helpers.js";
import { startLlamaServer, type LlamaServer } from "./llama-server.js";

// Integration with the pinned llama.cpp's own llama-server serving a generated model: a real
// OpenAI-compatible server with several slots, two at once for balancing.

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The same ChatML layout rendered on our side, for mode=completions. */
function renderChatML(messages: ChatMessage[], opts: { continueFinalMessage: boolean }): string {
  const turns = messages.map((m, i) => {
    const open = `<|im_start|>${m.role}\n${m.content}`;
    return opts.continueFinalMessage && i === messages.length - 1 ? open : `${open}<|im_end|>\n`;
  });
  return turns.join("") + (opts.continueFinalMessage ? "" : "<|im_start|>assistant\n");
}

let a: LlamaServer;
let b: LlamaServer;
const backends: OpenAIBackend[] = [];

function backend(urls: string[], args: Record<string, unknown> = {}, renderPrompt = renderChatML): OpenAIBackend {
  const be = createOpenAIBackend({ model: "tiny", args: { base_url: urls.join("|"), max_concurrency: 4, ...args }, renderPrompt });
  backends.push(be);
  return be;
}

beforeAll(async () => {
  const model = await testModel("tiny", { chatTemplate: CHATML });
  [a, b] = await Promise.all([
    startLlamaServer({ model, parallel: 4, ctx: 4096, jinja: true }),
    startLlamaServer({ model, parallel: 4, ctx: 4096, jinja: true }),
  ]);
});

afterAll(async () => {
  for (const be of backends) await be.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

describe("openai backend against llama-server", () => {
  test("chat mode over two servers: every sample once, usage recorded, both servers used", async () => {
    const requests = makeRequests(12, 2, { max_tokens: 8, temperature: 0.8, seed: 5 });
    // A random-weight model now and then emits broken UTF-8, which llama-server's chat endpoint
    // answers with a 500 ("does not match the expected ... format"); the seed makes it repeat, so
    // one retry is enough to see it handled as a sample error.
    const be = backend([a.url, b.url], { max_retries: 1 });
    const out = await collect(be.generate(requests));
    expect(keys(out)).toEqual(expectedKeys(requests));
    const ok = out.filter((c) => c.finishReason !== "error");
    for (const c of out.filter((c) => c.finishReason === "error")) {
      expect(c.error).toMatch(/^failed after 2 attempts; last: HTTP 500: The model produced output that does not match/);
    }
    expect(ok.length).toBeGreaterThanOrEqual(18);
    for (const c of ok) {
      expect(["stop", "length"]).toContain(c.finishReason);
      expect(c.promptTokens).toBeGreaterThan(5);
      expect(c.completionTokens).toBeGreaterThan(0);
      expect(c.completionTokens).toBeLessThanOrEqual(8);
    }
    const counts = Object.values(be.requestCounts());
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
  });

  test("chat mode continues an assistant prefill", async () => {
    const [req] = makeRequests(1, 1, { max_tokens: 4 });
    const out = await collect(backend([a.url]).generate([{ ...req!, assistantPrefill: "<think>\n" }]));
    expect(out).toMatchObject([{ requestId: "0", sampleIndex: 0 }]);
    expect(out[0]!.finishReason).not.toBe("error");
  });

  test("completions mode renders the template here and counts the prefill in the prompt", async () => {
    const [req] = makeRequests(1, 1, { max_tokens: 6 });
    const plain = await collect(backend([b.url], { mode: "completions" }).generate([req!]));
    const prefilled = await collect(backend([b.url], { mode: "completions" }).generate([{ ...req!, assistantPrefill: "Let me think step by step." }]));
    expect(plain[0]!.finishReason).not.toBe("error");
    expect(prefilled[0]!.finishReason).not.toBe("error");
    expect(prefilled[0]!.promptTokens).toBeGreaterThan(plain[0]!.promptTokens + 3);
  });

  test("a prompt longer than a slot's context fails fast with the server's message", async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(" ");
    const t0 = Date.now();
    const out = await collect(
      backend([a.url]).generate([{ id: "long", messages: [{ role: "user", content: long }], n: 1, sampling: { temperature: 0, top_p: 1, max_tokens: 4 } }]),
    );
    expect(out).toMatchObject([{ finishReason: "error", error: expect.stringMatching(/^HTTP 400: .*context/i) }]);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test("a server killed mid-run: its samples finish on the other", async () => {
    const model = await testModel("tiny", { chatTemplate: CHATML });
    const doomed = await startLlamaServer({ model, parallel: 4, ctx: 4096 });
    const requests = makeRequests(24, 1, { max_tokens: 16, temperature: 1, seed: 1 });
    const be = backend([doomed.url, b.url], { mode: "completions", max_retries: 2 });
    let seen = 0;
    const out = [];
    for await (const c of be.generate(requests)) {
      out.push(c);
      if (++seen === 3) doomed.process.kill("SIGKILL");
    }
    await doomed.stop();
    expect(keys(out)).toEqual(expectedKeys(requests));
    // The only errors allowed are the server's own 500 on broken UTF-8 from the random model
    // (see above): nothing is lost to the dead server.
    for (const c of out.filter((c) => c.finishReason === "error")) {
      expect(c.error).toMatch(/HTTP 500: The model produced output that does not match/);
    }
    expect(out.filter((c) => c.finishReason !== "error").length).toBeGreaterThanOrEqual(12);
    expect(be.requestCounts()[b.url]).toBeGreaterThan(12);
  });
});
