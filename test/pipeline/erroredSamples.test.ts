import { expect, test } from "vitest";
import { describeGroups, groupErrors } from "../../src/pipeline/erroredSamples.js";
import type { SampleLine } from "../../src/runs/index.js";

const line = (id: string, sample: number, error?: string): SampleLine => ({
  id, sample, text: "", finish_reason: error === undefined ? "stop" : "error", prompt_tokens: 0, completion_tokens: 0,
  ...(error !== undefined ? { error } : {}), time: "2026-01-01T00:00:00.000Z",
});

test("errors group by message whatever their numbers and row prefix, largest group first; answers are not errors", () => {
  const groups = groupErrors([
    line("0", 0, 'request "0": the prompt needs 130 tokens but each sequence gets 128 (n_ctx 128 / max_sequences 1); raise n_ctx or lower max_sequences'),
    line("0", 1, 'request "0": the prompt needs 130 tokens but each sequence gets 128 (n_ctx 128 / max_sequences 1); raise n_ctx or lower max_sequences'),
    line("7", 0, 'request "7": the prompt needs 4501 tokens but each sequence gets 128 (n_ctx 128 / max_sequences 1); raise n_ctx or lower max_sequences'),
    line("3", 0, "failed after 1 attempts; last: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (from http://127.0.0.1:9/v1)"),
    line("4", 0),
  ]);
  expect(groups).toEqual([
    { message: "the prompt needs 130 tokens but each sequence gets 128 (n_ctx 128 / max_sequences 1); raise n_ctx or lower max_sequences", count: 3, rows: ["0", "7"] },
    { message: "failed after 1 attempts; last: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (from http://127.0.0.1:9/v1)", count: 1, rows: ["3"] },
  ]);
  expect(describeGroups(groups)).toBe(
    "  3 × the prompt needs 130 tokens but each sequence gets 128 (n_ctx 128 / max_sequences 1); raise n_ctx or lower max_sequences (rows 0, 7)\n" +
      "  1 × failed after 1 attempts; last: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (from http://127.0.0.1:9/v1) (row 3)",
  );
});

test("a group lists five rows and says there are more", () => {
  const groups = groupErrors(Array.from({ length: 8 }, (_, i) => line(String(i), 0, "boom")));
  expect(describeGroups(groups)).toBe("  8 × boom (rows 0, 1, 2, 3, 4, …)");
});
