import type { Row } from "../../../data/index.js";
import { TaskError } from "../../../errors.js";
import { pyStr } from "../../../py/index.js";
import { runCallTest, runStdioTest, type TestOutcome } from "../../../scoring/index.js";

/** APPS/TACO `input_output`: stdin texts and expected outputs, or argument lists for `fn_name`. */
export interface InputOutput {
  inputs: unknown[];
  outputs: unknown[];
  fn_name?: string | null;
}

export function parseInputOutput(row: Row, task: string): InputOutput {
  const raw = row["input_output"];
  let parsed: unknown;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch (e) {
    throw new TaskError(`${task}: row ${row._index} has an input_output that is not JSON (${(e as Error).message}); check the data file`);
  }
  const io = parsed as Partial<InputOutput> | null;
  if (!io || !Array.isArray(io.inputs) || !Array.isArray(io.outputs) || io.inputs.length !== io.outputs.length) {
    throw new TaskError(`${task}: row ${row._index} input_output needs "inputs" and "outputs" lists of equal length; check the data file`);
  }
  return io as InputOutput;
}

/** APPS and TACO join list-valued stdin inputs and expected outputs with newlines. */
function asText(value: unknown): string {
  return Array.isArray(value) ? value.map(pyStr).join("\n") : pyStr(value);
}

/** One thunk per test; `style` picks APPS's line-wise or TACO's raw-stdout comparison. */
export function appsStyleTests(
  code: string,
  io: InputOutput,
  style: "apps" | "taco",
  timeoutMs: number,
): (() => Promise<TestOutcome>)[] {
  const opts = { timeoutMs };
  const fn = io.fn_name;
  return io.inputs.map((input, i) => {
    const expected = io.outputs[i];
    if (fn != null) return () => runCallTest(code, { fn, inputs: input, expected }, "apps", opts);
    return () => runStdioTest(code, { input: asText(input), expected: asText(expected) }, style, opts);
  });
}
