import { describe, expect, test, vi } from "vitest";
import { metricsTable } from "../../src/cli/metricsTable.js";
import { ProgressDisplay } from "../../src/cli/progress.js";
import { PyFloat } from "../../src/py/index.js";

function sink() {
  const chunks: string[] = [];
  return { stream: { write: (s: string) => chunks.push(s), isTTY: false } as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

describe("progress output when stderr is not a TTY", () => {
  test("plain lines, rate-limited, with tokens/s and an ETA from tokens; the last line always", () => {
    const out = sink();
    const d = new ProgressDisplay({ quiet: false, tty: false, stream: out.stream, intervalMs: 60_000 });
    d.onEvent({ type: "run", runDir: "/r", problems: 10, samplesTotal: 20, samplesDone: 4 });
    d.onEvent({ type: "progress", samplesDone: 6, samplesTotal: 20, generatedTokens: 2000, tokensPerSec: 100, active: 2 });
    d.onEvent({ type: "progress", samplesDone: 7, samplesTotal: 20, generatedTokens: 3000, tokensPerSec: 100, active: 2 });
    d.onEvent({ type: "progress", samplesDone: 20, samplesTotal: 20, generatedTokens: 9000, tokensPerSec: 120, active: 0 });
    const lines = out.text().trim().split("\n");
    expect(lines[1]).toBe("10 problems, 4/20 samples already done");
    expect(lines[2]).toMatch(/^\[\d\d:\d\d:\d\d\] 6\/20 samples, 2\.0k tokens, 100\.0 tok\/s, ETA 2m20s$/);
    expect(lines[3]).toMatch(/20\/20 samples, 9\.0k tokens, 120\.0 tok\/s, ETA 0s$/);
    expect(lines).toHaveLength(4);
  });

  test("while nothing finishes, the line says what the backend waits for and how long, refreshed without events", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const out = sink();
      const d = new ProgressDisplay({ quiet: false, tty: false, stream: out.stream, intervalMs: 10_000 });
      d.onEvent({ type: "run", runDir: "/r", problems: 3, samplesTotal: 3, samplesDone: 0 });
      const waiting = { what: "the first answer from 1 endpoint", since: Date.now() };
      d.onEvent({ type: "progress", samplesDone: 0, samplesTotal: 3, generatedTokens: 0, tokensPerSec: 0, active: 3, waiting });
      vi.advanceTimersByTime(4_000);
      expect(out.text()).not.toMatch(/waiting/); // a few seconds of waiting are normal
      vi.advanceTimersByTime(1_000);
      expect(out.text()).toMatch(/\] 0\/3 samples, waiting for the first answer from 1 endpoint, 5 s\n$/);
      vi.advanceTimersByTime(40_000);
      expect(out.text()).toMatch(/\] 0\/3 samples, waiting for the first answer from 1 endpoint, 45 s\n$/);
      d.stop();
      const lines = out.text().split("\n").length;
      vi.advanceTimersByTime(60_000);
      expect(out.text().split("\n").length).toBe(lines); // stopped: no more lines
    } finally {
      vi.useRealTimers();
    }
  });

  test("preemptions of the KV pool are counted in the line", () => {
    const out = sink();
    const d = new ProgressDisplay({ quiet: false, tty: false, stream: out.stream, intervalMs: 60_000 });
    d.onEvent({ type: "progress", samplesDone: 3, samplesTotal: 8, generatedTokens: 2000, tokensPerSec: 100, active: 4, preemptions: 0 });
    d.onEvent({ type: "progress", samplesDone: 8, samplesTotal: 8, generatedTokens: 6000, tokensPerSec: 100, active: 0, preemptions: 5 });
    const lines = out.text().trim().split("\n");
    expect(lines[0]).toMatch(/ 3\/8 samples, 2\.0k tokens, 100\.0 tok\/s, ETA /);
    expect(lines[1]).toMatch(/ 8\/8 samples, 6\.0k tokens, [\d.]+ tok\/s, 5 preempted, ETA 0s$/);
  });

  test("--quiet prints warnings only", () => {
    const out = sink();
    const d = new ProgressDisplay({ quiet: true, tty: false, stream: out.stream });
    d.onEvent({ type: "progress", samplesDone: 1, samplesTotal: 2, generatedTokens: 5, tokensPerSec: 1, active: 1 });
    d.onEvent({ type: "warning", message: "n was set to 1" });
    expect(out.text()).toBe("warning: n was set to 1\n");
  });
});

test("the final table shows upstream's numbers and ours", () => {
  const table = metricsTable({
    runDir: "/r",
    generatedSamples: 3,
    summary: { accuracy: new PyFloat(0.5), pass_at_k: { "k=2": new PyFloat(75.0), "k=1": new PyFloat(50.0) }, total_prompt_tokens: 30, avg_prompt_tokens: new PyFloat(7.5) },
    metrics: {
      accuracy: new PyFloat(0.5), problems: 2, samples_per_problem: 2, maj_at_k: { "k=2": 50, "k=1": 50 },
      completion_tokens: { mean: 10, median: 10, total: 40, count: 4 },
      completion_tokens_correct: { mean: 8, median: 8, total: 16, count: 2 },
      completion_tokens_incorrect: { mean: 12, median: 12, total: 24, count: 2 },
      finish_reasons: { stop: 3, length: 1, abort: 0, error: 0 },
    },
  });
  // One convention: summary.json's accuracy is a fraction (upstream's), the table shows every rate in percent.
  expect(table).toMatch(/^accuracy \(%\)\s+50\.0$/m);
  expect(table).toMatch(/^pass@k \(%\)\s+k=2 75\.0  k=1 50\.0$/m);
  expect(table).toMatch(/^maj@k \(%\)\s+k=2 50\.0  k=1 50\.0$/m);
  expect(table).not.toMatch(/0\.5\b/);
  expect(table).toMatch(/^finish reasons\s+stop 3  length 1  abort 0  error 0$/m);
  expect(table).toMatch(/^ {2}when correct\s+mean 8/m);
});
