import type { Completion, Progress } from "../types.js";

/** Generated tokens per second are measured over this trailing window. */
const WINDOW_MS = 30_000;

/** Counts finished samples and tokens and reports them through `onProgress`. */
export class ProgressMeter {
  private readonly state: Progress;
  private readonly recent: { at: number; tokens: number }[] = [];
  private recentTokens = 0;
  private readonly startedAt = Date.now();

  constructor(
    totalSamples: number,
    private readonly onProgress?: (p: Progress) => void,
  ) {
    this.state = { completedSamples: 0, totalSamples, active: 0, promptTokens: 0, generatedTokens: 0, tokensPerSec: 0, waiting: undefined };
  }

  /**
   * Requests in flight, and what the run waits for. Reported at once when the run starts waiting
   * (so the progress line can say so before anything finishes), else with the next completion.
   */
  active(n: number, waiting: Progress["waiting"]): void {
    this.state.active = n;
    const started = waiting !== undefined && this.state.waiting === undefined;
    this.state.waiting = waiting;
    if (started) this.onProgress?.({ ...this.state });
  }

  completed(c: Completion): void {
    const now = Date.now();
    this.state.completedSamples++;
    this.state.promptTokens += c.promptTokens;
    this.state.generatedTokens += c.completionTokens;
    this.recent.push({ at: now, tokens: c.completionTokens });
    this.recentTokens += c.completionTokens;
    while (this.recent[0]!.at < now - WINDOW_MS) this.recentTokens -= this.recent.shift()!.tokens;
    const span = Math.max(now - Math.max(this.startedAt, now - WINDOW_MS), 1);
    this.state.tokensPerSec = (this.recentTokens * 1000) / span;
    this.onProgress?.({ ...this.state });
  }
}
