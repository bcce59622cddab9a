import { BackendError } from "../../errors.js";
import { requestedSamples, type Completion, type GenerateOptions, type GenerationRequest } from "../types.js";
import { Channel } from "./channel.js";
import type { Endpoint } from "./endpoint.js";
import { httpRequest, TransportError } from "./http.js";
import { ProgressMeter } from "./progress.js";
import { buildBody, requestPath, type BodyOptions, type SampleResult } from "./protocol.js";
import { backoffMs, classifyResponse, classifyTransportError, type Outcome } from "./retry.js";

export interface RunSettings extends BodyOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** An endpoint silent this long with requests out must answer GET /models (Endpoint.checkAlive). */
  firstByteTimeoutMs: number;
  maxRetries: number;
}

/** One sample of one request: the unit that is sent, retried and completed exactly once. */
interface Sample {
  request: GenerationRequest;
  index: number;
  attempts: number;
  body?: string;
  /** Where the last attempt went; a retry goes elsewhere when it can. */
  last?: Endpoint;
}

/**
 * One `generate` call: a queue of samples fed to the endpoints, least outstanding requests first.
 * A sample finishes once, as a completion, an error after its retries, or an abort; the run ends
 * when every sample has finished, or throws BackendError when the server refuses everything.
 */
export class GenerationRun {
  readonly output = new Channel<Completion>();
  private readonly queue: Sample[] = [];
  private readonly open = new Set<Sample>();
  private readonly inFlight = new Map<Sample, { ac: AbortController; ep: Endpoint }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private wake: { at: number; timer: NodeJS.Timeout } | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** The last answer to a sample (or the run's first request), for "waiting for ..." in the progress. */
  private lastAnswerAt: number | undefined;
  private answered = 0;
  /** Since when no endpoint has been up, and the last failure seen: the run gives up after `patienceMs`. */
  private allDownSince: number | undefined;
  private lastFailure = "";
  private readonly patienceMs: number;
  private readonly progress: ProgressMeter;
  private readonly path: string;
  private closed = false;
  private readonly onAbort = () => this.abort();

  constructor(
    requests: GenerationRequest[],
    private readonly endpoints: Endpoint[],
    private readonly settings: RunSettings,
    private readonly opts: GenerateOptions = {},
  ) {
    this.path = requestPath(settings.mode);
    for (const request of requests) {
      for (const index of requestedSamples(request)) {
        const sample: Sample = { request, index, attempts: 0 };
        this.queue.push(sample);
        this.open.add(sample);
      }
    }
    this.progress = new ProgressMeter(this.open.size, opts.onProgress);
    this.patienceMs = retryBudgetMs(settings.maxRetries);
  }

  start(): void {
    if (this.opts.signal?.aborted) return this.abort();
    this.opts.signal?.addEventListener("abort", this.onAbort, { once: true });
    if (this.open.size === 0) return this.finish();
    const period = Math.max(50, Math.min(1000, this.settings.firstByteTimeoutMs / 4));
    this.watchdog = setInterval(() => this.checkSilentEndpoints(), period);
    this.pump();
  }

  /** Stops without emitting anything more (the consumer went away). */
  cancel(): void {
    this.shutdown();
    this.output.end();
  }

  private abort(): void {
    if (this.closed) return;
    for (const sample of this.open) this.emit(sample, { finishReason: "abort", error: "cancelled" });
    this.finish();
  }

  private finish(): void {
    this.shutdown();
    this.output.end();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.opts.signal?.removeEventListener("abort", this.onAbort);
    for (const { ac } of this.inFlight.values()) ac.abort();
    for (const t of this.timers) clearTimeout(t);
    if (this.wake) clearTimeout(this.wake.timer);
    clearInterval(this.watchdog);
  }

  /**
   * Endpoints silent for first_byte_timeout with requests out are asked GET /models; one that
   * does not answer that either is taken out and its requests are cut (retried elsewhere, or
   * errors once out of retries). A busy server answers it and its long requests go on.
   */
  private checkSilentEndpoints(): void {
    const now = Date.now();
    for (const ep of this.endpoints) {
      const silentMs = ep.silentFor(now);
      if (silentMs < this.settings.firstByteTimeoutMs) continue;
      void ep.checkAlive(this.settings.headers).then((alive) => {
        if (alive || this.closed) return;
        const silentFor = ep.silentFor(Date.now());
        ep.silent(Date.now(), silentFor);
        const cut = new TransportError(`no answer for ${Math.round(silentFor / 1000)} s, not even to GET /models`, "ESILENT");
        for (const { ac, ep: at } of this.inFlight.values()) if (at === ep) ac.abort(cut);
      });
    }
  }

  /** An HTTP answer (of any status) to a sample came from `ep`. */
  private heardFrom(ep: Endpoint): void {
    const now = Date.now();
    ep.heard(now);
    this.answered++;
    this.lastAnswerAt = now;
  }

  /** What the run waits for while requests are out (none: undefined), for the progress line. */
  private waiting(): { what: string; since: number } | undefined {
    const busy = this.endpoints.filter((ep) => ep.outstanding > 0).length;
    if (busy === 0 || this.lastAnswerAt === undefined) return undefined;
    const what = `${this.answered === 0 ? "the first answer" : "an answer"} from ${busy} endpoint${busy > 1 ? "s" : ""}`;
    return { what, since: this.lastAnswerAt };
  }

  /** Starts what can start now, probes endpoints that are due, and sets a timer for what must wait. */
  private pump(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.endpoints.every((ep) => ep.isDown)) {
      this.allDownSince ??= now;
      const gone = this.endpoints.every((ep) => ep.confirmedDown);
      if (gone && now - this.allDownSince >= this.patienceMs) return this.giveUp(now);
    } else {
      this.allDownSince = undefined;
    }
    for (const ep of this.endpoints) {
      void ep.probeIfDue(now, this.settings.headers)?.then(() => this.pump());
    }
    while (this.queue.length > 0) {
      const sample = this.queue[0]!;
      const ep = this.pick(now, sample.last);
      if (!ep) break;
      this.queue.shift();
      this.send(sample, ep);
    }
    if (this.queue.length > 0) this.scheduleWake(now);
  }

  /** Least outstanding requests among endpoints with room; fewest started breaks ties (round robin). */
  private pick(now: number, avoid: Endpoint | undefined): Endpoint | undefined {
    let best: Endpoint | undefined;
    let fallback: Endpoint | undefined;
    for (const ep of this.endpoints) {
      if (ep.capacity(now) <= 0) continue;
      if (ep === avoid) {
        fallback = ep;
        continue;
      }
      if (!best || ep.outstanding < best.outstanding || (ep.outstanding === best.outstanding && ep.started < best.started)) {
        best = ep;
      }
    }
    return best ?? fallback;
  }

  private scheduleWake(now: number): void {
    let at = this.allDownSince === undefined ? 0 : this.allDownSince + this.patienceMs;
    for (const ep of this.endpoints) {
      const t = ep.wakeAt(now);
      if (t > 0 && (at === 0 || t < at)) at = t;
    }
    if (at === 0 || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = undefined;
      this.pump();
    }, at - now);
    this.wake = { at, timer };
  }

  private send(sample: Sample, ep: Endpoint): void {
    try {
      sample.body ??= buildBody(sample.request, sample.index, this.settings);
    } catch (err) {
      this.emit(sample, { finishReason: "error", error: `could not build the request: ${(err as Error).message}` });
      return;
    }
    sample.attempts++;
    sample.last = ep;
    const ac = new AbortController();
    this.inFlight.set(sample, { ac, ep });
    ep.begin();
    this.lastAnswerAt ??= Date.now();
    this.progress.active(this.inFlight.size, this.waiting());
    httpRequest(ep.target(this.path), {
      method: "POST",
      body: sample.body,
      headers: this.settings.headers,
      timeoutMs: this.settings.timeoutMs,
      signal: ac.signal,
    })
      .then((res) => {
        this.heardFrom(ep);
        return classifyResponse(res, this.settings.mode);
      }, classifyTransportError)
      .then(
        (outcome) => this.settle(sample, ep, outcome),
        (err: unknown) => this.settle(sample, ep, { kind: "fail", message: `internal error: ${String(err)}` }),
      );
  }

  private settle(sample: Sample, ep: Endpoint, outcome: Outcome): void {
    ep.end();
    this.inFlight.delete(sample);
    if (this.closed) return;
    const now = Date.now();
    this.progress.active(this.inFlight.size, this.waiting());
    switch (outcome.kind) {
      case "ok":
        ep.succeeded();
        this.emit(sample, { ...outcome.result, finishReason: stoppedBy(outcome.result, sample.request.sampling.max_tokens) });
        break;
      case "fail":
        this.emit(sample, { finishReason: "error", error: `${outcome.message} (from ${ep.url})` });
        break;
      case "resend":
        sample.attempts--;
        this.queue.unshift(sample);
        break;
      case "fatal":
        this.shutdown();
        this.output.fail(new BackendError(fatalMessage(outcome, ep.url, this.settings.model)));
        return;
      case "retry":
        this.lastFailure = `${outcome.message} (from ${ep.url})`;
        if (outcome.endpointFault) ep.failed(now, outcome.unreachable, outcome.message);
        if (outcome.retryAfterMs !== undefined) ep.pauseUntil(now + outcome.retryAfterMs);
        if (sample.attempts > this.settings.maxRetries) {
          const error = `failed after ${sample.attempts} attempts; last: ${outcome.message} (from ${ep.url})`;
          this.emit(sample, { finishReason: "error", error });
        } else {
          this.retryLater(sample, backoffMs(sample.attempts, outcome.retryAfterMs));
        }
        break;
    }
    this.pump();
  }

  /**
   * No server has answered for as long as a sample's retries would last: stop rather than turn
   * every remaining sample into an error, so that a resumed run can still do them.
   */
  private giveUp(now: number): void {
    const urls = this.endpoints.map((ep) => ep.url).join(", ");
    const secs = Math.round((now - this.allDownSince!) / 1000);
    this.shutdown();
    this.output.fail(
      new BackendError(
        `no endpoint reachable for ${secs} s (${urls}); last error: ${this.lastFailure}. ` +
          `Check that the servers run and base_url is right (raise max_retries to wait longer), then resume the run`,
      ),
    );
  }

  private retryLater(sample: Sample, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // Retries go first: old samples finish before new ones start.
      this.queue.unshift(sample);
      this.pump();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Completes a sample (once; later calls for it are ignored) and ends the run after the last. */
  private emit(sample: Sample, c: Pick<Completion, "finishReason"> & Partial<Omit<Completion, "requestId" | "sampleIndex">>): void {
    if (!this.open.delete(sample)) return;
    const completion: Completion = {
      requestId: sample.request.id,
      sampleIndex: sample.index,
      text: "",
      promptTokens: 0,
      completionTokens: 0,
      ...c,
    };
    this.output.push(completion);
    this.progress.completed(completion);
    if (this.open.size === 0 && !this.closed) this.finish();
  }
}

/** How long a sample's retries wait in all (without jitter), at least 1 s. */
function retryBudgetMs(maxRetries: number): number {
  let total = 0;
  for (let attempt = 1; attempt <= maxRetries; attempt++) total += backoffMs(attempt, undefined, () => 1);
  return Math.max(total, 1000);
}

function fatalMessage(outcome: { message: string; status: number }, url: string, model: string): string {
  const hint =
    outcome.status === 404
      ? `check that base_url ends in /v1 and that the server serves model "${model}" (backend arg model=NAME sets the served name)`
      : "check api_key (or OPENAI_API_KEY) and the server's access rules";
  return `server ${url} refused the request: ${outcome.message}; ${hint}`;
}

/**
 * vLLM (like OpenAI and llama-server) says "length" both at max_tokens and where the model's
 * context (vLLM's max_model_len) ran out; fewer completion tokens than max_tokens can only be the
 * context. A server that reports no usage keeps its "length".
 */
function stoppedBy(r: SampleResult, maxTokens: number): SampleResult["finishReason"] {
  return r.finishReason === "length" && r.completionTokens > 0 && r.completionTokens < maxTokens ? "context" : r.finishReason;
}
