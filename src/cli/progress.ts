import cliProgress from "cli-progress";
import type { PipelineEvent } from "../pipeline/index.js";

type ProgressEvent = Extract<PipelineEvent, { type: "progress" }>;

/** Nothing finished for this long: the line says what the backend waits for instead of an ETA. */
const WAIT_SHOWN_MS = 5_000;
const TICK_MS = 1_000;

/**
 * Turns pipeline events into output: a bar on a TTY (samples, tokens, tokens/s, ETA from tokens),
 * a plain line every `intervalMs` otherwise; nothing but warnings with `quiet`. Everything goes
 * to stderr so that stdout holds only the final table (or JSON). While nothing finishes for a
 * few seconds the line says what the backend waits for and how long ("0/3 samples, waiting for
 * the first answer from 1 endpoint, 45 s"), refreshed by a timer since no event comes then.
 */
export class ProgressDisplay {
  private bar: cliProgress.SingleBar | undefined;
  private lastLine = 0;
  private sessionStart = { time: Date.now(), samples: 0 };
  private scoringShown = false;
  private readonly window: { time: number; tokens: number }[] = [];
  private last: ProgressEvent | undefined;
  private fields = { tokens: "0", tps: "0.0", preempted: "", state: "ETA ?" };
  private waitShown = false;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: { quiet: boolean; tty: boolean; stream?: NodeJS.WriteStream; intervalMs?: number },
  ) {}

  private get out(): NodeJS.WriteStream {
    return this.opts.stream ?? process.stderr;
  }

  onEvent = (e: PipelineEvent): void => {
    if (e.type === "warning") {
      this.stopBar();
      this.out.write(`warning: ${e.message}\n`);
      return;
    }
    if (this.opts.quiet) return;
    switch (e.type) {
      case "run":
        this.sessionStart = { time: Date.now(), samples: e.samplesDone };
        this.out.write(`run folder ${e.runDir}\n${e.problems} problems, ${e.samplesDone}/${e.samplesTotal} samples already done\n`);
        return;
      case "model":
        this.out.write(`${e.message}\n`);
        return;
      case "download":
        this.line(`downloading model: ${mib(e.downloadedBytes)} / ${mib(e.totalBytes)} MiB`, e.downloadedBytes >= e.totalBytes);
        return;
      case "progress":
        this.progress(e);
        return;
      case "scoring":
        if (!this.scoringShown) {
          this.stopTicker();
          this.stopBar();
          this.scoringShown = true;
        }
        this.line(`scoring ${e.done}/${e.total}`, e.done === e.total);
        return;
    }
  };

  private progress(e: ProgressEvent): void {
    const rate = this.smoothedRate(e);
    const doneNow = e.samplesDone - this.sessionStart.samples;
    const perSample = doneNow > 0 ? e.generatedTokens / doneNow : 0;
    const remaining = e.samplesTotal - e.samplesDone;
    const eta = rate > 0 && perSample > 0 ? (remaining * perSample) / rate : undefined;
    this.fields = {
      tokens: compact(e.generatedTokens),
      tps: rate.toFixed(1),
      // The KV pool's preemptions (llama backend): samples recomputed, their text unchanged.
      preempted: e.preemptions ? `${e.preemptions} preempted` : "",
      state: `ETA ${eta === undefined ? "?" : duration(eta)}`,
    };
    this.last = e;
    if (!this.ticker && e.samplesDone < e.samplesTotal) {
      this.ticker = setInterval(() => this.show(false), TICK_MS);
      this.ticker.unref();
    }
    this.show(e.samplesDone >= e.samplesTotal);
  }

  /** The last progress as a bar update or a line; `done` forces the line (the last one). */
  private show(done: boolean): void {
    const e = this.last;
    if (!e) return;
    const wait = this.waitText(e);
    const state = wait ?? this.fields.state;
    // The first line that says what is awaited goes out at once, not after `intervalMs`.
    const firstWait = wait !== undefined && !this.waitShown;
    this.waitShown = wait !== undefined;
    if (this.opts.tty) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          { format: "{bar} {value}/{total} samples | {tokens} tokens | {tps} tok/s{preempted} | {state}", stream: this.out, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(e.samplesTotal, e.samplesDone, { ...this.fields, preempted: this.fields.preempted && ` | ${this.fields.preempted}`, state });
      }
      this.bar.update(e.samplesDone, { ...this.fields, preempted: this.fields.preempted && ` | ${this.fields.preempted}`, state });
      if (done) this.stopBar();
      return;
    }
    const text = wait !== undefined
      ? `${e.samplesDone}/${e.samplesTotal} samples, ${wait}`
      : `${e.samplesDone}/${e.samplesTotal} samples, ${this.fields.tokens} tokens, ${this.fields.tps} tok/s, ${this.fields.preempted && `${this.fields.preempted}, `}${this.fields.state}`;
    this.line(text, done || firstWait);
  }

  /** "waiting for <what>, 45 s" once nothing has finished for WAIT_SHOWN_MS. */
  private waitText(e: ProgressEvent): string | undefined {
    if (!e.waiting) return undefined;
    const ms = Date.now() - e.waiting.since;
    return ms >= WAIT_SHOWN_MS ? `waiting for ${e.waiting.what}, ${Math.round(ms / 1000)} s` : undefined;
  }

  /**
   * Tokens/s over the last ~30 s of events (the backend's own figure covers a shorter past and
   * jumps with every batch); the backend's figure until there are two points to compare.
   */
  private smoothedRate(e: ProgressEvent): number {
    const now = Date.now();
    this.window.push({ time: now, tokens: e.generatedTokens });
    while (this.window.length > 2 && now - this.window[1]!.time > 30_000) this.window.shift();
    const first = this.window[0]!;
    const seconds = (now - first.time) / 1000;
    return seconds >= 1 ? (e.generatedTokens - first.tokens) / seconds : e.tokensPerSec;
  }

  /** Rate-limited plain line; `force` for the last one. */
  private line(text: string, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastLine < (this.opts.intervalMs ?? 10_000)) return;
    this.lastLine = now;
    this.out.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`);
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  stop(): void {
    this.stopTicker();
    this.stopBar();
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function duration(sec: number): string {
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
