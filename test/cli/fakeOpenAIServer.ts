import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { ensureBuilt } from "./build.js";

export interface FakeOpenAIServer {
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}

/**
 * An OpenAI-compatible chat server for CLI tests: answers "What is A+B?" right or wrong depending
 * on the request's seed only, after `delayMs`, so a spawned CLI can be killed halfway.
 */
export async function startFakeOpenAIServer(opts: { delayMs?: number } = {}): Promise<FakeOpenAIServer> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.method === "GET" && req.url?.endsWith("/models")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "fake", object: "model" }] }));
        return;
      }
      count++;
      const b = JSON.parse(body) as { messages: { role: string; content: string }[]; seed?: number; model: string };
      const user = b.messages.filter((m) => m.role === "user").pop()?.content ?? "";
      const m = /What is (\d+)\+(\d+)\?/.exec(user);
      const sum = m ? Number(m[1]) + Number(m[2]) : 0;
      const right = (b.seed ?? 0) % 3 !== 0;
      const content = `Let me think (seed ${b.seed}). The answer is \\boxed{${right ? sum : sum + 1}}.`;
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: `c${count}`,
            object: "chat.completion",
            model: b.model,
            choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
            usage: { prompt_tokens: user.length, completion_tokens: content.length, total_tokens: user.length + content.length },
          }),
        );
      }, opts.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => count,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * For a test file that spawns the CLI against the fake server: the CLI built (dist/) and one server
 * started before its tests and closed after them. Read `.server` inside tests, once beforeAll ran.
 */
export function useBuiltCliAndFakeServer(): { readonly server: FakeOpenAIServer } {
  const fixture = {} as { server: FakeOpenAIServer };
  beforeAll(async () => {
    await ensureBuilt();
    fixture.server = await startFakeOpenAIServer();
  }, 300_000);
  afterAll(async () => {
    await fixture.server?.close();
  });
  return fixture;
}
