import { afterEach, describe, expect, test } from "vitest";
import { createOpenAIBackend, type OpenAIBackend } from "../../src/backends/openai/index.js";
import { FaultServer } from "./fault-server.js";
import { collect, expectedKeys, keys, makeRequests } from "./helpers.js";

const servers: FaultServer[] = [];
const backends: OpenAIBackend[] = [];

async function server(delayMs: number): Promise<FaultServer> {
  const s = await new FaultServer().start();
  s.script = () => ({ kind: "ok", delayMs });
  servers.push(s);
  return s;
}

afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  for (const s of servers.splice(0)) await s.kill();
});

function backend(urls: string[], args: Record<string, unknown>): OpenAIBackend {
  const b = createOpenAIBackend({ model: "m", args: { base_url: urls.join("|"), ...args } });
  backends.push(b);
  return b;
}

describe("least outstanding requests balancing", () => {
  test("equal servers share the work evenly", async () => {
    const a = await server(20);
    const b = await server(20);
    const requests = makeRequests(40);
    const out = await collect(backend([a.url, b.url], { max_concurrency: 4 }).generate(requests));
    expect(keys(out)).toEqual(expectedKeys(requests));
    expect(Math.abs(a.received.length - b.received.length)).toBeLessThanOrEqual(8);
  });

  test("a server that answers faster gets more of the work", async () => {
    const fast = await server(5);
    const slow = await server(300);
    const out = await collect(backend([fast.url, slow.url], { max_concurrency: 8 }).generate(makeRequests(80)));
    expect(out).toHaveLength(80);
    expect(fast.received.length).toBeGreaterThan(2 * slow.received.length);
  });

  test("max_concurrency caps requests in flight per endpoint", async () => {
    const a = await server(30);
    const b = await server(30);
    const be = backend([a.url, b.url], { max_concurrency: 3 });
    await collect(be.generate(makeRequests(30, 1)));
    expect(a.maxInFlight).toBe(3);
    expect(b.maxInFlight).toBe(3);
    expect(be.requestCounts()).toEqual({ [a.url]: a.received.length, [b.url]: b.received.length });
  });

  test("a server saying Retry-After gets no new work until then", async () => {
    const a = await server(5);
    const b = await server(5);
    let paused = false;
    a.script = () => {
      if (!paused) {
        paused = true;
        return { kind: "status", status: 429, headers: { "retry-after": "2" } };
      }
      return { kind: "ok", delayMs: 5 };
    };
    const out = await collect(backend([a.url, b.url], { max_concurrency: 1 }).generate(makeRequests(30)));
    expect(out.every((c) => c.finishReason === "stop")).toBe(true);
    // 30 samples of ~10 ms each finish on b well within a's 2 s pause.
    expect(a.received).toHaveLength(1);
  });
});
