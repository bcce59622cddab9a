import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { RunFolder } from "./runFolder.js";
import { testStatus } from "./problems.js";
import { gradeLine, sampleLine } from "./runFolder.js";

const gzipAsync = promisify(gzip);

/**
 * The response text a report keeps whole, in UTF-16 code units (about bytes for English text):
 * 100 M, so a 30-problem, n=64, 32k-token run (about 60 MB of text) is kept entirely. Above it,
 * the longest responses are cut to one shared length, keeping their beginning and end (where the
 * answer is), with a note saying how much was left out.
 */
export const TEXT_BUDGET = 100_000_000;

/** A problem's texts, each gzip'd and base64'd: the page decodes one when it is opened. */
export interface ProblemTexts {
  /** The input conversation (results.json `input_conversation`) as JSON. */
  prompt: string;
  /** Each response's content, cut to the budget if need be. */
  responses: string[];
  /** A reasoning part the backend returned apart from the content (samples.jsonl `reasoning`). */
  reasoning: (string | null)[];
  /** A code response's tests (grades.jsonl) as JSON `{results: [{passed, status (in words), detail}], total}`. */
  tests: (string | null)[];
}

export interface TextsOutcome {
  problems: ProblemTexts[];
  /** Responses cut to fit the budget (0 when everything fits). */
  cut: number;
  /** The length responses were cut to, when some were. */
  cutAt: number | null;
}

/** The texts of a run, compressed on zlib's thread pool (the calling thread only joins the results). */
export async function compressTexts(folder: RunFolder, budget = TEXT_BUDGET): Promise<TextsOutcome> {
  const lengths = folder.records.flatMap((r) => r.responses.map((x) => x.content.length));
  const cap = lengthCap(lengths, budget);
  let cut = 0;
  const problems = await Promise.all(
    folder.records.map(async (record) => ({
      prompt: await pack(JSON.stringify(record.input_conversation ?? [])),
      responses: await Promise.all(
        record.responses.map((x) => {
          if (cap === null || x.content.length <= cap) return pack(x.content);
          cut++;
          return pack(cutMiddle(x.content, cap, budget));
        }),
      ),
      reasoning: await Promise.all(
        record.responses.map((_, i) => {
          const reasoning = sampleLine(folder, record._index, i)?.reasoning;
          return reasoning === undefined ? null : pack(cap !== null && reasoning.length > cap ? cutMiddle(reasoning, cap, budget) : reasoning);
        }),
      ),
      tests: await Promise.all(
        record.responses.map((_, i) => {
          const tests = gradeLine(folder, record._index, i)?.tests;
          return tests === undefined ? null : pack(JSON.stringify({ ...tests, results: tests.results.map((t) => ({ ...t, status: testStatus(t) })) }));
        }),
      ),
    })),
  );
  return { problems, cut, cutAt: cap };
}

/**
 * The largest length L with Σ min(length, L) ≤ budget (water filling: short responses stay whole,
 * only the longest are cut); null when everything fits.
 */
export function lengthCap(lengths: readonly number[], budget: number): number | null {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total <= budget) return null;
  const sorted = [...lengths].sort((a, b) => a - b);
  let used = 0;
  for (let i = 0; i < sorted.length; i++) {
    const rest = sorted.length - i;
    const cap = Math.floor((budget - used) / rest);
    if (cap < sorted[i]!) return Math.max(0, cap);
    used += sorted[i]!;
  }
  return null;
}

/** The text's first and last cap/2 characters around a note of what was left out. */
export function cutMiddle(text: string, cap: number, budget: number): string {
  const head = Math.ceil(cap / 2);
  const tail = cap - head;
  const left = text.length - cap;
  const note = `\n\n[… ${left.toLocaleString("en-US")} characters left out here: the report keeps ${(budget / 1e6).toLocaleString("en-US")} M characters of text in all; results.json has the whole response …]\n\n`;
  return text.slice(0, head) + note + (tail > 0 ? text.slice(text.length - tail) : "");
}

// Level 3, not zlib's default 6: on 60 MB of reasoning text it compresses 2.3x faster for 8% more bytes.
async function pack(text: string): Promise<string> {
  return (await gzipAsync(Buffer.from(text, "utf8"), { level: 3 })).toString("base64");
}
