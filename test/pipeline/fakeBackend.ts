import { requestedSamples, type Backend, type Completion, type GenerateOptions, type GenerationRequest } from "../../src/backends/types.js";

/**
 * A deterministic Backend for pipeline tests, like inspect's mockllm: it "solves" prompts of the
 * form "What is A+B?" and answers right or wrong depending on (request seed, sample index) only,
 * so results never depend on batching or order. Completions arrive in reverse order (the contract
 * allows any order). `failAfter` makes generate throw after that many completions, standing in
 * for a crash.
 */
export class FakeBackend implements Backend {
  readonly requests: GenerationRequest[][] = [];
  readonly info = { engine: "fake", version: 1 };
  closed = false;

  constructor(private readonly opts: { failAfter?: number; errorSample?: { id: string; sample: number } } = {}) {}

  async *generate(requests: GenerationRequest[], opts: GenerateOptions = {}): AsyncIterable<Completion> {
    this.requests.push(requests);
    const all = requests.flatMap((r) => requestedSamples(r).map((i) => this.complete(r, i))).reverse();
    let yielded = 0;
    let tokens = 0;
    for (const c of all) {
      if (this.opts.failAfter !== undefined && yielded >= this.opts.failAfter) throw new Error("fake backend crashed");
      opts.signal?.throwIfAborted();
      await new Promise((r) => setImmediate(r));
      tokens += c.completionTokens;
      opts.onProgress?.({ completedSamples: yielded + 1, totalSamples: all.length, active: 1, promptTokens: 0, generatedTokens: tokens, tokensPerSec: 100 });
      yielded++;
      yield c;
    }
  }

  private complete(r: GenerationRequest, i: number): Completion {
    const user = r.messages.filter((m) => m.role === "user").pop()?.content ?? "";
    const m = /What is (\d+)\+(\d+)\?/.exec(user);
    const sum = m ? Number(m[1]) + Number(m[2]) : 0;
    const right = ((r.sampling.seed ?? 0) + i) % 3 !== 0;
    const text = `  Thinking about ${r.id}/${i} ${r.assistantPrefill ?? ""}... so the answer is \\boxed{${right ? sum : sum + 1}}.\n`;
    if (this.opts.errorSample?.id === r.id && this.opts.errorSample.sample === i) {
      return { requestId: r.id, sampleIndex: i, text: "", finishReason: "error", error: "prompt too long", promptTokens: 0, completionTokens: 0 };
    }
    return { requestId: r.id, sampleIndex: i, text, finishReason: i === 1 ? "length" : "stop", promptTokens: user.length, completionTokens: text.length };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
