import type http from "node:http";
import { createAgent, httpRequest, type HttpTarget } from "./http.js";

/** After this many failures in a row (5xx, resets, timeouts, garbage) an endpoint is taken out. */
const FAILURES_TO_TRIP = 3;
const FIRST_COOLDOWN_MS = 1_000;
const MAX_COOLDOWN_MS = 30_000;
const PROBE_TIMEOUT_MS = 10_000;

/**
 * One server behind `base_url`, with a circuit breaker. While `up` it takes up to
 * `maxConcurrency` requests. Once `down` it takes none; after a cooldown it is probed with
 * `GET <base_url>/models` (no sample is risked on it): an answer brings it back, silence doubles
 * the cooldown (up to 30 s). A server's Retry-After pauses new work without taking it out.
 */
export class Endpoint {
  readonly url: string;
  readonly agent: http.Agent;
  private readonly probeAgent: http.Agent;
  outstanding = 0;
  /** Requests started here in all. */
  started = 0;
  private state: "up" | "down" = "up";
  private failStreak = 0;
  private cooldownMs = FIRST_COOLDOWN_MS;
  /** Nothing new before this time: end of a cooldown or of a server's Retry-After. */
  private notBefore = 0;
  private probing: Promise<void> | undefined;
  private probeFailed = false;
  private readonly targets = new Map<string, HttpTarget>();

  constructor(
    baseUrl: string,
    readonly maxConcurrency: number,
    private readonly onLog?: (level: "warn" | "info", message: string) => void,
  ) {
    this.url = baseUrl;
    this.agent = createAgent(new URL(baseUrl), maxConcurrency);
    this.probeAgent = createAgent(new URL(baseUrl), 1);
  }

  get isDown(): boolean {
    return this.state === "down";
  }

  /** Down, and a probe since then found it still gone (not merely waiting for its first probe). */
  get confirmedDown(): boolean {
    return this.state === "down" && this.probeFailed;
  }

  /** The URL of `path` (e.g. "/chat/completions") under this base URL. */
  target(path: string): HttpTarget {
    let t = this.targets.get(path);
    if (!t) {
      t = { url: new URL(this.url + path), agent: this.agent };
      this.targets.set(path, t);
    }
    return t;
  }

  /** How many more requests may start now. */
  capacity(now: number): number {
    if (this.state === "down" || now < this.notBefore) return 0;
    return Math.max(0, this.maxConcurrency - this.outstanding);
  }

  /** When time alone (not a request ending) may change `capacity` or allow a probe; 0 if never. */
  wakeAt(now: number): number {
    return this.notBefore > now && !this.probing ? this.notBefore : 0;
  }

  begin(): void {
    this.outstanding++;
    this.started++;
  }

  end(): void {
    this.outstanding--;
  }

  succeeded(): void {
    this.state = "up";
    this.failStreak = 0;
    this.cooldownMs = FIRST_COOLDOWN_MS;
  }

  /**
   * `unreachable`: nothing listens (connection refused), so there is no point in waiting for a
   * streak. Requests that were sent before it went down and fail after add nothing.
   */
  failed(now: number, unreachable: boolean, why: string): void {
    if (this.state === "down") return;
    if (!unreachable && ++this.failStreak < FAILURES_TO_TRIP) return;
    this.state = "down";
    this.probeFailed = false;
    this.notBefore = Math.max(this.notBefore, now + this.cooldownMs);
    this.onLog?.("warn", `endpoint ${this.url} taken out (${why}); its work goes to the others, probing it again in ${this.cooldownMs / 1000} s`);
  }

  pauseUntil(time: number): void {
    this.notBefore = Math.max(this.notBefore, time);
  }

  /**
   * If down and its cooldown is over, probes it once and resolves when the probe is done
   * (undefined when no probe was due). Any HTTP answer but a 5xx counts as alive
   * (llama-server answers 503 while it loads the model).
   */
  probeIfDue(now: number, headers: Record<string, string>): Promise<void> | undefined {
    if (this.state !== "down" || this.probing || now < this.notBefore) return undefined;
    // Its own connection: the pool may be full of requests that hang on the sick server.
    const probe = { url: this.target("/models").url, agent: this.probeAgent };
    this.probing = httpRequest(probe, { method: "GET", headers, timeoutMs: PROBE_TIMEOUT_MS })
      .then(
        (res) => res.status < 500,
        () => false,
      )
      .then((alive) => {
        this.probing = undefined;
        if (alive) {
          this.state = "up";
          this.failStreak = 0;
          this.onLog?.("info", `endpoint ${this.url} is back`);
        } else {
          this.probeFailed = true;
          this.cooldownMs = Math.min(this.cooldownMs * 2, MAX_COOLDOWN_MS);
          this.notBefore = Date.now() + this.cooldownMs;
        }
      });
    return this.probing;
  }

  close(): void {
    this.agent.destroy();
    this.probeAgent.destroy();
  }
}
