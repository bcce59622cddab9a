import { requestedSamples, type Backend, type Completion, type GenerateOptions, type GenerationRequest } from "../../src/backends/types.js";

/**
 * A deterministic Backend that answers "What is A+B?" the way a reasoning model does: a
 * `<think>` block of varying length, then a \boxed{} answer, right or wrong by (seed, sample)
 * alone. Long thoughts stop at max_tokens without an answer (finish "length"); `errorSample`
 * fails one sample. Completions are spaced by `delayMs` so their finish times spread.
 */
export class ReasoningBackend implements Backend {
  constructor(private readonly opts: { skill: number; errorSample?: { id: string; sample: number }; delayMs?: number }) {}

  async *generate(requests: GenerationRequest[], opts: GenerateOptions = {}): AsyncIterable<Completion> {
    for (const r of requests) {
      for (const i of requestedSamples(r)) {
        opts.signal?.throwIfAborted();
        await new Promise((res) => setTimeout(res, this.opts.delayMs ?? 2));
        yield this.complete(r, i);
      }
    }
  }

  private complete(r: GenerationRequest, i: number): Completion {
    const user = r.messages.filter((m) => m.role === "user").pop()?.content ?? "";
    const m = /What is (\d+)\+(\d+)\?/.exec(user);
    const sum = m ? Number(m[1]) + Number(m[2]) : 0;
    const draw = (((r.sampling.seed ?? 0) >>> 0) * 31 + i * 17) % 100;
    if (this.opts.errorSample?.id === r.id && this.opts.errorSample.sample === i) {
      return { requestId: r.id, sampleIndex: i, text: "", finishReason: "error", error: "prompt needs 9,312 tokens but the context holds 8,192", promptTokens: 0, completionTokens: 0 };
    }
    const steps = 2 + (draw % 9);
    const thought = Array.from({ length: steps }, (_, s) => `Step ${s + 1}: consider ${m?.[1] ?? "?"} and ${m?.[2] ?? "?"} once more.`).join("\n");
    const answer = draw < this.opts.skill ? sum : sum + 1 + (draw % 3);
    // One character is one token here.
    const text = `<think>\n${thought}\n</think>\n\nAdding the two numbers gives $${answer}$, so the answer is \\boxed{${answer}}.`;
    const maxTokens = r.sampling.max_tokens;
    if (text.length > maxTokens) {
      return { requestId: r.id, sampleIndex: i, text: text.slice(0, maxTokens), finishReason: "length", promptTokens: user.length, completionTokens: maxTokens };
    }
    return { requestId: r.id, sampleIndex: i, text, finishReason: "stop", promptTokens: user.length, completionTokens: text.length };
  }

  async close(): Promise<void> {}
}
