import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * An OpenAI-compatible HTTP server for fault injection: by default it answers every completion
 * request with a deterministic text; a script decides per request to delay, fail with a status
 * (and headers), hang, reset the connection or send broken JSON. It can die and come back on the
 * same port, like a vLLM replica that is restarted, or fall `silent`: accept connections and
 * requests and answer nothing at all, not even GET /models (a stopped process, a port-forward to
 * nowhere).
 */

export type Action =
  | { kind: "ok"; delayMs?: number }
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "reset" }
  | { kind: "garbage" };

export interface ReceivedRequest {
  path: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

/** `attempt`: how many requests with this body this server has seen before (0 first). */
export type Script = (req: ReceivedRequest, attempt: number) => Action;

export class FaultServer {
  readonly received: ReceivedRequest[] = [];
  script: Script = () => ({ kind: "ok" });
  /** Answer nothing, GET /models included. */
  silent = false;
  inFlight = 0;
  maxInFlight = 0;
  /** Hung requests whose client gave up and closed the connection. */
  abandoned = 0;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly seen = new Map<string, number>();
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Dies at once: the port closes and open connections are reset. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (this.silent) {
        res.on("close", () => this.abandoned++);
        return;
      }
      const path = req.url ?? "";
      if (req.method === "GET" && path === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "fake" }] }));
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      const body = JSON.parse(raw) as Record<string, unknown>;
      const received = { path, body, headers: req.headers };
      this.received.push(received);
      const attempt = this.seen.get(raw) ?? 0;
      this.seen.set(raw, attempt + 1);
      this.act(this.script(received, attempt), received, req, res);
    });
  }

  private act(action: Action, received: ReceivedRequest, req: http.IncomingMessage, res: http.ServerResponse): void {
    switch (action.kind) {
      case "ok": {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const reply = () => {
          this.inFlight--;
          if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completionFor(received)));
        };
        if (action.delayMs) setTimeout(reply, action.delayMs);
        else reply();
        return;
      }
      case "status":
        res.writeHead(action.status, { "content-type": "application/json", ...action.headers });
        res.end(typeof action.body === "string" ? action.body : JSON.stringify(action.body ?? { error: { message: "injected" } }));
        return;
      case "hang":
        res.on("close", () => this.abandoned++);
        return;
      case "reset":
        req.socket.destroy();
        return;
      case "garbage":
        res.writeHead(200, { "content-type": "application/json" }).end('{"choices": [{"message": ');
        return;
    }
  }
}

/** The server's answer: the last message's text tagged with the seed, so tests can check routing. */
export function completionFor({ path, body }: ReceivedRequest): Record<string, unknown> {
  const seed = body.seed === undefined ? "none" : String(body.seed);
  if (path.endsWith("/completions") && !path.endsWith("/chat/completions")) {
    const prompt = String(body.prompt);
    return {
      object: "text_completion",
      choices: [{ index: 0, text: `done:${seed}:${prompt.length}`, finish_reason: "length" }],
      usage: { prompt_tokens: prompt.length, completion_tokens: 3, total_tokens: prompt.length + 3 },
    };
  }
  const messages = body.messages as { role: string; content: string }[];
  const last = messages[messages.length - 1]!.content;
  return {
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: `done:${seed}:${last}`, reasoning_content: `thought about ${last}` },
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: last.length, completion_tokens: 7, total_tokens: last.length + 7 },
  };
}
