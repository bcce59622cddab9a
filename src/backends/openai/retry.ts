import type { HttpResponse } from "./http.js";
import { TransportError } from "./http.js";
import { errorMessage, parseResponse, ProtocolError, type Mode, type SampleResult } from "./protocol.js";

/** What one HTTP attempt of one sample came to. */
export type Outcome =
  | { kind: "ok"; result: SampleResult }
  /** Worth another attempt, perhaps elsewhere. `endpointFault`: counts against the endpoint's health. */
  | { kind: "retry"; message: string; endpointFault: boolean; unreachable: boolean; retryAfterMs?: number }
  /** The request never reached the server (a stale keep-alive connection): send it again now, for free. */
  | { kind: "resend" }
  /** The server refused this sample for good (4xx): no retry, the sample ends as an error. */
  | { kind: "fail"; message: string }
  /** Every request would be refused the same way (bad key, wrong URL or model): stop the run. */
  | { kind: "fatal"; message: string; status: number };

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this is a server misconfiguration; we wait this long at most. */
const MAX_RETRY_AFTER_MS = 600_000;

const FATAL_STATUS = new Set([401, 403, 404]);
/** Nothing there (ESILENT: it accepts connections but answered nothing, not even GET /models). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ESILENT"]);
const RETRY_STATUS = new Set([408, 409, 429]);

export function classifyResponse(res: HttpResponse, mode: Mode, now = Date.now()): Outcome {
  const { status } = res;
  if (status >= 200 && status < 300) {
    try {
      return { kind: "ok", result: parseResponse(res.body, mode) };
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      return { kind: "retry", message: err.message, endpointFault: true, unreachable: false };
    }
  }
  const message = `HTTP ${status}: ${errorMessage(res.body)}`;
  if (status >= 500 || RETRY_STATUS.has(status)) {
    const retryAfterMs = retryAfter(res.headers, now);
    return {
      kind: "retry",
      message,
      // A 500 is the server answering that this request failed (llama-server: output it could
      // not parse; vLLM: a request it could not run): it is alive. 502/503/504 mean it is not.
      endpointFault: status >= 502,
      unreachable: false,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (FATAL_STATUS.has(status)) return { kind: "fatal", message, status };
  return { kind: "fail", message };
}

export function classifyTransportError(err: unknown): Outcome {
  if (!(err instanceof TransportError)) throw err;
  if (err.staleConnection) return { kind: "resend" };
  return {
    kind: "retry",
    message: `${err.code}: ${err.message}`,
    endpointFault: true,
    unreachable: UNREACHABLE.has(err.code),
  };
}

/** `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date. */
export function retryAfter(headers: HttpResponse["headers"], now: number): number | undefined {
  const ms = Number(headers["retry-after-ms"]);
  if (headers["retry-after-ms"] !== undefined && Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const value = headers["retry-after"];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const seconds = Number(value);
  const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(wait) ? Math.min(Math.max(wait, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): exponential with "equal jitter"
 * (half fixed, half random) so that samples failed together do not come back together; a
 * server's Retry-After is a floor.
 */
export function backoffMs(attempt: number, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  const jittered = exp / 2 + (exp / 2) * random();
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
