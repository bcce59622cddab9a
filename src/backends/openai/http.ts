import http from "node:http";
import https from "node:https";

/**
 * A small JSON-over-HTTP client on node:http. Not fetch: undici's fetch gives up after 300 s without
 * response headers, and a long reasoning completion sent without streaming easily takes longer;
 * here the only time limit is ours. It also costs less CPU per request.
 */

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The request never got a complete HTTP response: refused, reset, timed out or cancelled. */
export class TransportError extends Error {
  override name = "TransportError";
  constructor(
    message: string,
    /** ECONNREFUSED, ECONNRESET, ETIMEDOUT (our timeout), ABORTED (our signal), ... */
    readonly code: string,
    /**
     * The server had closed an idle keep-alive connection just as we reused it: the request never
     * reached it, so sending it again on a new connection is free (Node's `reusedSocket` case).
     */
    readonly staleConnection = false,
  ) {
    super(message);
  }
}

export interface HttpTarget {
  url: URL;
  agent: http.Agent;
}

export function createAgent(url: URL, maxSockets: number): http.Agent {
  const opts = { keepAlive: true, maxSockets, scheduling: "lifo" as const };
  return url.protocol === "https:" ? new https.Agent(opts) : new http.Agent(opts);
}

export interface RequestOptions {
  method: "GET" | "POST";
  /** JSON text; POST only. */
  body?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export function httpRequest(target: HttpTarget, opts: RequestOptions): Promise<HttpResponse> {
  const { body, headers, timeoutMs, signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError("request cancelled", "ABORTED"));
      return;
    }
    const { url, agent } = target;
    const mod = url.protocol === "https:" ? https : http;
    let settled = false;
    const settle = (err: TransportError | undefined, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const req = mod.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"), // IPv6 literals come bracketed
      port: url.port,
      path: url.pathname + url.search,
      method: opts.method,
      agent,
      headers:
        body === undefined
          ? headers
          : { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
    });
    // Our own failures (timeout, cancel) settle first, so the socket error they cause is ignored.
    const fail = (err: TransportError) => {
      settle(err);
      req.destroy();
    };
    let responded = false;
    const fromSocket = (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "ECONNRESET";
      const stale = req.reusedSocket && !responded && code === "ECONNRESET";
      settle(new TransportError(err.message || String(err), code, stale));
    };
    const timer = setTimeout(
      () => fail(new TransportError(`no complete response within ${timeoutMs / 1000} s`, "ETIMEDOUT")),
      timeoutMs,
    );
    // A caller that aborts with a TransportError (a dead endpoint cut) reports it as the failure.
    const onAbort = () => fail(signal?.reason instanceof TransportError ? signal.reason : new TransportError("request cancelled", "ABORTED"));
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", fromSocket);
    req.on("response", (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", fromSocket);
      res.on("close", () => {
        if (!res.complete) fromSocket(Object.assign(new Error("connection closed in the middle of the response"), { code: "ECONNRESET" }));
      });
      res.on("end", () =>
        settle(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.end(body);
  });
}
