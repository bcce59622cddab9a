import type http from "node:http";
import { createAgent, httpRequest, type HttpTarget } from "./http.js";

/** After this many failures in a row (5xx, resets, timeouts, garbage) an endpoint is taken out. */
const FAILURES_TO_TRIP = 3;
const FIRST_COOLDOWN_MS = 1_000;
const MAX_COOLDOWN_MS = 30_000;

/**
 * One server behind `base_url`, with a circuit breaker. While `up` it takes up to
 * `maxConcurrency` requests. Once `down` it takes none; after a cooldown it is probed with
 * `GET <base_url>/models` (no sample is risked on it): an answer brings it back, silence doubles
 * the cooldown (up to 30 s). A server's Retry-After pauses new work without taking it out.
 *
 * It also keeps when it was last heard from (any HTTP answer): an endpoint with requests out that
 * has been silent for `firstByteTimeoutMs` is asked GET /models (`checkAlive`), so that one that
 * accepts connections but never answers is told apart from one that is busy generating.
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
  /** Last HTTP answer of any kind (a request's or a probe's), ms since the epoch. */
  private lastHeard = 0;
  /** When `outstanding` last rose from 0. */
  private busySince = 0;
  private checking: Promise<boolean> | undefined;

  constructor(
    baseUrl: string,
    readonly maxConcurrency: number,
    /** How long it may leave requests without any answer before it must prove it is alive. */
    readonly firstByteTimeoutMs: number,
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
    if (this.outstanding === 0) this.busySince = Date.now();
    this.outstanding++;
    this.started++;
  }

  /** An HTTP answer came back (whatever its status): the server is alive. */
  heard(now: number): void {
    this.lastHeard = now;
  }

  /** How long requests have been out here without any answer from it; 0 when none is out. */
  silentFor(now: number): number {
    return this.outstanding > 0 ? now - Math.max(this.lastHeard, this.busySince) : 0;
  }

  /**
   * Whether it answers GET /models within `firstByteTimeoutMs` (on its own connection: the pool
   * may be full of requests it is not answering); an answer to a request meanwhile also counts.
   * One check at a time.
   */
  checkAlive(headers: Record<string, string>): Promise<boolean> {
    const asked = Date.now();
    // Any answer, a 503 of a server still loading included, shows it is there.
    this.checking ??= this.ping(headers).then((status) => {
      this.checking = undefined;
      if (status !== undefined) this.heard(Date.now());
      return status !== undefined || this.lastHeard >= asked;
    });
    return this.checking;
  }

  /**
   * Takes it out at once: it accepted requests and answered nothing for `silentMs`, not even GET
   * /models. The caller cuts its requests.
   */
  silent(now: number, silentMs: number): void {
    if (this.state === "down") return;
    this.failed(now, true, `no answer for ${Math.round(silentMs / 1000)} s, not even to GET /models`);
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
    this.probing = this.ping(headers).then((status) => {
      this.probing = undefined;
      if (status !== undefined && status < 500) {
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

  /** The HTTP status of GET <base_url>/models on its own connection; undefined for no answer within `firstByteTimeoutMs`. */
  private ping(headers: Record<string, string>): Promise<number | undefined> {
    const probe = { url: this.target("/models").url, agent: this.probeAgent };
    return httpRequest(probe, { method: "GET", headers, timeoutMs: this.firstByteTimeoutMs }).then(
      (res) => res.status,
      () => undefined,
    );
  }

  close(): void {
    this.agent.destroy();
    this.probeAgent.destroy();
  }
}
