import { afterEach, describe, expect, test } from "vitest";
import { createOpenAIBackend, type OpenAIBackend } from "../../src/backends/openai/index.js";
import type { Progress } from "../../src/backends/types.js";
import { BackendError } from "../../src/errors.js";
import { FaultServer } from "./fault-server.js";
import { collect, expectedKeys, keys, makeRequests } from "./helpers.js";

const servers: FaultServer[] = [];
const backends: OpenAIBackend[] = [];

async function server(): Promise<FaultServer> {
  const s = await new FaultServer().start();
  servers.push(s);
  return s;
}

function backend(urls: string[], args: Record<string, unknown> = {}, log?: string[]): OpenAIBackend {
  const b = createOpenAIBackend({
    model: "my-org/my-model",
    args: { base_url: urls.join("|"), ...args },
    onLog: (level, message) => log?.push(`${level}: ${message}`),
  });
  backends.push(b);
  return b;
}

afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  for (const s of servers.splice(0)) await s.kill();
});

describe("openai backend against a fault-injecting server", () => {
  test("every sample once, with its own seed, text, reasoning and usage", async () => {
    const s = await server();
    const requests = makeRequests(3, 2, { seed: 100, temperature: 0.7 });
    const out = await collect(backend([s.url], { api_key: "sk-test" }).generate(requests));
    expect(keys(out)).toEqual(expectedKeys(requests));
    const c = out.find((x) => x.requestId === "1" && x.sampleIndex === 1)!;
    expect(c).toEqual({
      requestId: "1",
      sampleIndex: 1,
      text: "done:101:question 1",
      reasoning: "thought about question 1",
      finishReason: "stop",
      promptTokens: "question 1".length,
      completionTokens: 7,
    });
    expect(s.received[0]!.headers.authorization).toBe("Bearer sk-test");
    expect(s.received[0]!.path).toBe("/v1/chat/completions");
    expect(s.received[0]!.body.model).toBe("my-org/my-model");
  });

  test('"length" below max_tokens is the model\'s context (vLLM\'s max_model_len): finish reason context', async () => {
    const s = await server();
    const cut = { object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "cut" }, finish_reason: "length" }], usage: { prompt_tokens: 9, completion_tokens: 5 } };
    s.script = () => ({ kind: "status", status: 200, body: cut });
    const [atMax, beyond] = [makeRequests(1, 1, { max_tokens: 5 })[0]!, { ...makeRequests(1, 1, { max_tokens: 100 })[0]!, id: "1" }];
    const out = await collect(backend([s.url]).generate([atMax, beyond]));
    expect(out.map((c) => [c.requestId, c.finishReason]).sort()).toEqual([["0", "length"], ["1", "context"]]);
  });

  test("a request for some of its samples sends only those, each with its own seed", async () => {
    const s = await server();
    const [request] = makeRequests(1, 4, { seed: 100, temperature: 0.7 });
    const out = await collect(backend([s.url]).generate([{ ...request!, samples: [3, 1] }]));
    expect(out.map((c) => [c.sampleIndex, c.text]).sort()).toEqual([[1, "done:101:question 0"], [3, "done:103:question 0"]]);
    expect(s.received).toHaveLength(2);
  });

  test("429 with Retry-After: waits as told, then succeeds", async () => {
    const s = await server();
    s.script = (_r, attempt) =>
      attempt === 0 ? { kind: "status", status: 429, headers: { "retry-after": "1" }, body: { error: { message: "slow down" } } } : { kind: "ok" };
    const t0 = Date.now();
    const out = await collect(backend([s.url]).generate(makeRequests(2)));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(out.map((c) => c.finishReason)).toEqual(["stop", "stop"]);
    expect(s.received).toHaveLength(4);
  });

  test("500s are retried; a sample out of retries becomes an error completion and the run goes on", async () => {
    const s = await server();
    s.script = (r, attempt) =>
      (r.body.messages as { content: string }[])[0]!.content === "question 0"
        ? { kind: "status", status: 500, body: { error: { message: "CUDA error" } } }
        : attempt < 1
          ? { kind: "status", status: 502, body: "bad gateway" }
          : { kind: "ok" };
    const out = await collect(backend([s.url], { max_retries: 2 }).generate(makeRequests(3)));
    expect(keys(out)).toEqual(["0/0", "1/0", "2/0"]);
    const failed = out.find((c) => c.requestId === "0")!;
    expect(failed.finishReason).toBe("error");
    expect(failed.error).toMatch(/failed after 3 attempts; last: HTTP 500: CUDA error \(from http:\/\/127\.0\.0\.1:\d+\/v1\)/);
    expect(out.filter((c) => c.finishReason === "stop")).toHaveLength(2);
  });

  test("a server answering 500 to many requests stays in service for the others", async () => {
    const s = await server();
    s.script = (r) =>
      Number((r.body.messages as { content: string }[])[0]!.content.split(" ")[1]) % 2 === 0
        ? { kind: "status", status: 500, body: { error: { message: "output does not match the expected format" } } }
        : { kind: "ok" };
    const out = await collect(backend([s.url], { max_retries: 0 }).generate(makeRequests(20)));
    expect(keys(out)).toEqual(expectedKeys(makeRequests(20)));
    expect(out.filter((c) => c.finishReason === "error")).toHaveLength(10);
    expect(out.filter((c) => c.finishReason === "stop")).toHaveLength(10);
  });

  test("a hung request times out and is retried", async () => {
    const s = await server();
    s.script = (_r, attempt) => (attempt === 0 ? { kind: "hang" } : { kind: "ok" });
    const out = await collect(backend([s.url], { timeout: 0.3 }).generate(makeRequests(1)));
    expect(out).toMatchObject([{ finishReason: "stop", text: "done:none:question 0" }]);
    expect(s.received).toHaveLength(2);
  });

  test("connection resets and malformed JSON are retried", async () => {
    const s = await server();
    s.script = (_r, attempt) => (attempt === 0 ? { kind: "reset" } : attempt === 1 ? { kind: "garbage" } : { kind: "ok" });
    const out = await collect(backend([s.url]).generate(makeRequests(2)));
    expect(out.map((c) => c.finishReason)).toEqual(["stop", "stop"]);
    expect(s.received).toHaveLength(6);
  });

  test("400 fails fast with the server's message", async () => {
    const s = await server();
    s.script = () => ({ kind: "status", status: 400, body: { error: { message: "maximum context length is 4096 tokens" } } });
    const out = await collect(backend([s.url]).generate(makeRequests(1)));
    expect(out).toMatchObject([{ finishReason: "error", error: expect.stringMatching(/^HTTP 400: maximum context length is 4096 tokens/) }]);
    expect(s.received).toHaveLength(1);
  });

  test("401 stops the run with a BackendError that says what to check", async () => {
    const s = await server();
    s.script = () => ({ kind: "status", status: 401, body: { error: { message: "Incorrect API key provided" } } });
    await expect(collect(backend([s.url]).generate(makeRequests(5)))).rejects.toThrow(BackendError);
    await expect(collect(backend([s.url]).generate(makeRequests(1)))).rejects.toThrow(/Incorrect API key provided; check api_key/);
  });

  test("an endpoint that dies mid-run hands its work to the other and comes back when it recovers", async () => {
    const a = await server();
    const b = await server();
    let killed = false;
    a.script = () => {
      if (a.received.length === 4 && !killed) {
        killed = true;
        setTimeout(() => void a.kill(), 50);
      }
      return { kind: "ok", delayMs: 100 };
    };
    b.script = () => ({ kind: "ok", delayMs: 20 });
    const log: string[] = [];
    const be = backend([a.url, b.url], { max_concurrency: 2 }, log);
    const requests = makeRequests(20);
    const out = await collect(be.generate(requests));
    expect(keys(out)).toEqual(expectedKeys(requests));
    expect(out.every((c) => c.finishReason === "stop")).toBe(true);
    expect(b.received.length).toBeGreaterThanOrEqual(16);

    await a.start(); // same port
    await new Promise((r) => setTimeout(r, 1200)); // past the first cooldown
    const before = a.received.length;
    const again = await collect(be.generate(makeRequests(10)));
    expect(again.every((c) => c.finishReason === "stop")).toBe(true);
    expect(a.received.length - before).toBeGreaterThan(0);
    expect(log[0]).toMatch(new RegExp(`^warn: endpoint ${a.url} taken out \\(ECONN(RESET|REFUSED)`));
    expect(log).toContain(`info: endpoint ${a.url} is back`);
  });

  test("no endpoint reachable for as long as retries last: the run stops with a BackendError", async () => {
    const a = await server();
    await a.kill();
    const t0 = Date.now();
    await expect(collect(backend([a.url], { max_retries: 1 }).generate(makeRequests(3)))).rejects.toThrow(
      /no endpoint reachable for 1 s \(http:\/\/127\.0\.0\.1:\d+\/v1\); last error: ECONNREFUSED/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test("samples wait while every endpoint is down and go on when one recovers", async () => {
    const a = await server();
    a.script = () => ({ kind: "ok", delayMs: 50 });
    const requests = makeRequests(6);
    const it = backend([a.url], { max_concurrency: 2 }).generate(requests);
    setTimeout(() => void a.kill().then(() => setTimeout(() => void a.start(), 1500)), 80);
    const out = await collect(it);
    expect(keys(out)).toEqual(expectedKeys(requests));
    expect(out.every((c) => c.finishReason === "stop")).toBe(true);
  });

  test("abort cancels requests in flight and ends every open sample as aborted", async () => {
    const s = await server();
    s.script = () => ({ kind: "hang" });
    const ac = new AbortController();
    const it = backend([s.url], { max_concurrency: 2 }).generate(makeRequests(4), { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const out = await collect(it);
    expect(keys(out)).toEqual(["0/0", "1/0", "2/0", "3/0"]);
    expect(out.every((c) => c.finishReason === "abort")).toBe(true);
    expect(s.received).toHaveLength(2);
  });

  test("a consumer that stops reading cancels the requests in flight", async () => {
    const s = await server();
    s.script = (r) => ((r.body.messages as { content: string }[])[0]!.content === "question 0" ? { kind: "ok" } : { kind: "hang" });
    for await (const c of backend([s.url], { max_concurrency: 3 }).generate(makeRequests(6))) {
      expect(c.requestId).toBe("0");
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(s.abandoned).toBeGreaterThanOrEqual(2);
    expect(s.received.length).toBeLessThanOrEqual(4);
  });

  test("an endpoint that takes requests but answers nothing, not even GET /models, is cut after first_byte_timeout", async () => {
    const s = await server();
    s.silent = true;
    const t0 = Date.now();
    const out = await collect(backend([s.url], { first_byte_timeout: 0.3, max_retries: 0 }).generate(makeRequests(3)));
    // Found by its silence (0.3 s, then 0.3 s for GET /models), not by `timeout` (3600 s).
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(keys(out)).toEqual(["0/0", "1/0", "2/0"]);
    for (const c of out) {
      expect(c.finishReason).toBe("error");
      expect(c.error).toMatch(/^failed after 1 attempts; last: ESILENT: no answer for \d+ s, not even to GET \/models \(from http:\/\/127\.0\.0\.1:\d+\/v1\)$/);
    }
  });

  test("a silent endpoint's samples go to one that answers", async () => {
    const dead = await server();
    dead.silent = true;
    const live = await server();
    const log: string[] = [];
    const requests = makeRequests(6);
    const out = await collect(backend([dead.url, live.url], { first_byte_timeout: 0.3, max_retries: 2 }, log).generate(requests));
    expect(keys(out)).toEqual(expectedKeys(requests));
    expect(out.every((c) => c.finishReason === "stop")).toBe(true);
    expect(log[0]).toMatch(new RegExp(`^warn: endpoint ${dead.url} taken out \\(no answer for \\d+ s, not even to GET /models\\)`));
  });

  test("a busy server that answers GET /models keeps its long requests past first_byte_timeout", async () => {
    const s = await server();
    s.script = () => ({ kind: "ok", delayMs: 1500 });
    const out = await collect(backend([s.url], { first_byte_timeout: 0.2, max_retries: 0 }).generate(makeRequests(2)));
    expect(out.map((c) => c.finishReason)).toEqual(["stop", "stop"]);
    expect(s.received).toHaveLength(2);
  });

  test("a silent endpoint with retries left: the run stops with a BackendError naming the silence", async () => {
    const s = await server();
    s.silent = true;
    await expect(collect(backend([s.url], { first_byte_timeout: 0.3, max_retries: 1 }).generate(makeRequests(2)))).rejects.toThrow(
      /no endpoint reachable for \d+ s \(http:\/\/127\.0\.0\.1:\d+\/v1\); last error: ESILENT: no answer for \d+ s, not even to GET \/models/,
    );
  });

  test("progress counts samples and tokens", async () => {
    const s = await server();
    const seen: number[] = [];
    const progress: Progress[] = [];
    const t0 = Date.now();
    await collect(backend([s.url]).generate(makeRequests(3, 2, { temperature: 1 }), { onProgress: (p) => progress.push(p) }));
    for (const p of progress) seen.push(p.completedSamples);
    // Once when the requests go out (what it waits for), then once per sample.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(progress[0]!.waiting).toEqual({ what: "the first answer from 1 endpoint", since: expect.any(Number) });
    expect(progress[0]!.waiting!.since).toBeGreaterThanOrEqual(t0);
    expect(progress[1]!.waiting?.what ?? "").toMatch(/^(an answer from 1 endpoint)?$/);
    expect(progress.at(-1)).toMatchObject({ completedSamples: 6, totalSamples: 6, generatedTokens: 42, waiting: undefined });
  });
});
