import type { Completion, GenerationRequest, SamplingParams } from "../../src/backends/types.js";

export const greedy: SamplingParams = { temperature: 0, top_p: 1, max_tokens: 16 };

export function makeRequests(count: number, n = 1, sampling: Partial<SamplingParams> = {}): GenerationRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i),
    messages: [{ role: "user" as const, content: `question ${i}` }],
    n,
    sampling: { ...greedy, ...sampling },
  }));
}

export async function collect(it: AsyncIterable<Completion>): Promise<Completion[]> {
  const out: Completion[] = [];
  for await (const c of it) out.push(c);
  return out;
}

/** Every (request, sample) pair exactly once. */
export function keys(completions: Completion[]): string[] {
  return completions.map((c) => `${c.requestId}/${c.sampleIndex}`).sort();
}

export function expectedKeys(requests: GenerationRequest[]): string[] {
  return requests.flatMap((r) => Array.from({ length: r.n }, (_, i) => `${r.id}/${i}`)).sort();
}
