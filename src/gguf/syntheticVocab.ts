import type { GgufKv } from "./types.js";

/**
 * A small GPT-2-style byte-level BPE tokenizer: the 256 byte symbols, merges learned by plain
 * BPE on the text below, and the ChatML control tokens. llama.cpp loads it as a "gpt2" vocab
 * with the "gpt-2" pre-tokenizer, so any text (any bytes) tokenizes.
 */

const CORPUS = `Return your final response within \\boxed{}. Let x and y be real numbers such that
x + y = 10 and x - y = 2. Find the value of x times y. The answer is the number of ways to choose the
numbers, so the answer is 24. Think step by step: first find the sum, then the product, then check
the result. The probability that the integer is even is one half. The question asks for the area of
the triangle with sides 3, 4 and 5; the area is 6. Okay, so I need to solve this problem. Let me think
about the problem again and write the solution. Therefore the final answer is \\boxed{42}.
def solve(n): return sum(i * i for i in range(n)) if n > 0 else 0
print(solve(int(input())))`;

const MERGES = 200;
const CONTROL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
const TOKEN_TYPE_NORMAL = 1;
const TOKEN_TYPE_CONTROL = 3;

/** tokenizer.* KV pairs of the synthetic vocab. */
export function syntheticVocabKv(): GgufKv[] {
  const bytes = byteSymbols();
  const merges = learnMerges(CORPUS, bytes, MERGES);
  const tokens = [...bytes, ...merges.map((m) => m.replace(" ", "")), ...CONTROL_TOKENS];
  const types = tokens.map((_, i) => (i >= tokens.length - CONTROL_TOKENS.length ? TOKEN_TYPE_CONTROL : TOKEN_TYPE_NORMAL));
  const eos = tokens.length - CONTROL_TOKENS.length;
  return [
    { key: "tokenizer.ggml.model", type: "string", value: "gpt2" },
    { key: "tokenizer.ggml.pre", type: "string", value: "gpt-2" },
    { key: "tokenizer.ggml.tokens", type: "array", itemType: "string", value: tokens },
    { key: "tokenizer.ggml.token_type", type: "array", itemType: "int32", value: types },
    { key: "tokenizer.ggml.merges", type: "array", itemType: "string", value: merges },
    { key: "tokenizer.ggml.bos_token_id", type: "uint32", value: eos },
    { key: "tokenizer.ggml.eos_token_id", type: "uint32", value: eos },
    { key: "tokenizer.ggml.padding_token_id", type: "uint32", value: eos },
    { key: "tokenizer.ggml.add_bos_token", type: "bool", value: false },
  ];
}

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onward. */
function byteSymbols(): string[] {
  const symbols: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    symbols[b] = String.fromCodePoint(printable ? b : 256 + extra++);
  }
  return symbols;
}

/** Classic BPE training: repeatedly merge the most frequent adjacent pair (ties: first seen). */
function learnMerges(text: string, bytes: string[], count: number): string[] {
  const words = (text.match(/ ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]+|\s+/g) ?? []).map((w) =>
    [...Buffer.from(w, "utf8")].map((b) => bytes[b]!),
  );
  const merges: string[] = [];
  while (merges.length < count) {
    const counts = new Map<string, number>();
    for (const w of words) for (let i = 0; i + 1 < w.length; i++) {
      const pair = `${w[i]} ${w[i + 1]}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [pair, n] of counts) if (n > bestCount) [best, bestCount] = [pair, n];
    if (!best) break;
    merges.push(best);
    const [a, b] = best.split(" ") as [string, string];
    for (const w of words) for (let i = 0; i + 1 < w.length; i++) {
      if (w[i] === a && w[i + 1] === b) w.splice(i, 2, a + b);
    }
  }
  return merges;
}
