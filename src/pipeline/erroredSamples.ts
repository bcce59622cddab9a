import type { SampleLine } from "../runs/index.js";

/** Errored samples that say the same thing (up to their numbers and row). */
export interface ErrorGroup {
  /** The first sample's message, as the backend wrote it. */
  message: string;
  count: number;
  /** Row ids (`_index`) of the group's samples, each once, in the order met. */
  rows: string[];
}

/**
 * Errored samples grouped by message: the llama backend's `request "<id>": ` prefix is dropped and
 * digits do not count, so "the prompt needs 130 tokens..." and "...131 tokens..." fall together.
 * Largest group first.
 */
export function groupErrors(samples: readonly SampleLine[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const s of samples) {
    if (s.finish_reason !== "error") continue;
    const message = (s.error ?? "no message").replace(/^request "[^"]*": /, "");
    const key = message.replace(/\d+/g, "#");
    const group = groups.get(key) ?? { message, count: 0, rows: [] };
    group.count++;
    if (!group.rows.includes(s.id)) group.rows.push(s.id);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** One line per group: count, message, a few rows. */
export function describeGroups(groups: readonly ErrorGroup[]): string {
  return groups
    .map((g) => `  ${g.count} × ${g.message} (row${g.rows.length > 1 ? "s" : ""} ${g.rows.slice(0, 5).join(", ")}${g.rows.length > 5 ? ", …" : ""})`)
    .join("\n");
}
