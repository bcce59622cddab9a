import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { TaskError } from "../errors.js";
import { TaskConfigSchema, type TaskConfig } from "./types.js";

export interface ParsedTaskYaml {
  config: TaskConfig;
  /** "file:line:col" of a top-level key's value, for errors found after validation. */
  locate(key: string): string;
}

/**
 * Parses one task YAML and validates it against TaskConfigSchema. Every error names the file, the
 * line and column, and the key, so that a user can fix a hand-written task without guessing.
 */
export function parseTaskYaml(text: string, file: string): ParsedTaskYaml {
  const lineCounter = new LineCounter();
  // YAML 1.1, as PyYAML's safe_load reads upstream's files (yes/no booleans and the like).
  const doc = parseDocument(text, { version: "1.1", lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return file;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const first = doc.errors[0];
  if (first) {
    throw new TaskError(`${where(first.pos[0])}: invalid YAML: ${first.message.split("\n")[0]}; fix the syntax of this task file`);
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new TaskError(`${file}: a task file must be a YAML mapping of keys such as handler, dataset_path, question_key`);
  }
  const result = TaskConfigSchema.safeParse(data);
  if (result.success) {
    return { config: result.data, locate: (key) => where((doc.get(key, true) as Node | undefined)?.range?.[0]) };
  }
  const issue = result.error.issues[0]!;
  throw new TaskError(describeIssue(issue, doc, where));
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, where: (offset?: number) => string): string {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const offset = keyOffset(doc, path, key);
    const known = Object.keys(TaskConfigSchema.shape).join(", ");
    return `${where(offset)}: unknown key "${[...path, key].join(".")}"; a task file may only use ${known}`;
  }
  const node = doc.getIn(path, true) as Node | undefined;
  const name = path.join(".");
  if (node === undefined) {
    const parentOffset = path.length > 1 ? (doc.getIn(path.slice(0, -1), true) as Node | undefined)?.range?.[0] : 0;
    return `${where(parentOffset)}: missing key "${name}": ${issue.message}; add it to the task file`;
  }
  return `${where(node.range?.[0])}: key "${name}": ${issue.message}`;
}

/** Offset of `key` inside the mapping at `path`, for errors about a key that should not be there. */
function keyOffset(doc: Document, path: string[], key: string): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key.range?.[0];
  }
  return undefined;
}
