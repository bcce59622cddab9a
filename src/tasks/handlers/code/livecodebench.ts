import type { Row } from "../../../data/index.js";
import { DataError } from "../../../errors.js";
import { lcbPostProcess, runCallTest, runStdioTest, type TestOutcome } from "../../../scoring/index.js";
import type { Handler } from "../../types.js";
import { renderTemplate } from "../handlerKit.js";
import { filterDifficulty, sliceRows } from "../rowSelection.js";
import { scoreCode } from "./codeVerdict.js";
import { decodePrivateTests, type LcbTest } from "./lcbTestCases.js";

/** Upstream's timeout parameter (6 s), applied per test, plus room for starting the sandboxed process. */
export const LCB_TEST_TIMEOUT_MS = 6_500;

function where(row: Row): string {
  return `livecodebench row ${row._index} (${String(row["question_id"] ?? "?")})`;
}

function parseJsonColumn(row: Row, column: string): unknown {
  const value = row[column];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new DataError(`${where(row)}: column ${column} is not JSON (${(e as Error).message})`);
  }
}

/** upstream has_test_type(public_test_cases, "stdin") */
function hasStdinTest(row: Row): boolean {
  const tests = parseJsonColumn(row, "public_test_cases");
  return Array.isArray(tests) && tests.some((t) => (t as LcbTest).testtype === "stdin");
}

/** Upstream's map_to_example: keeps every column, decodes the private tests and adds its own. */
function toExample(row: Row): Row {
  const tests = decodePrivateTests(row["private_test_cases"], where(row));
  return {
    ...row,
    private_test_cases: tests,
    prompt: row["question_content"],
    test: tests,
    entry_point: row["starter_code"],
    canonical_solution: "",
    task_id: row["question_id"],
    is_stdin: hasStdinTest(row),
  };
}

/** The function a functional test calls: LiveCodeBench's metadata.func_name, else the starter's def. */
function functionName(row: Row, code: string): string {
  const metadata = parseJsonColumn(row, "metadata") as { func_name?: string } | null;
  if (metadata && typeof metadata.func_name === "string") return metadata.func_name;
  const starter = /def\s+([A-Za-z_]\w*)\s*\(/.exec(String(row["starter_code"] ?? ""));
  if (starter) return starter[1]!;
  return code.split("(")[0]!.trim().split(/\s+/).pop() ?? ""; // upstream's guess from the solution text
}

function lcbTests(code: string, row: Row): (() => Promise<TestOutcome>)[] {
  const tests = decodePrivateTests(row["test"] ?? row["private_test_cases"], where(row));
  const functional = tests[0]?.testtype === "functional";
  const opts = { timeoutMs: LCB_TEST_TIMEOUT_MS };
  return tests.map((t) =>
    functional
      ? () => runCallTest(code, { fn: functionName(row, code), inputs: t.input, expected: t.output }, "lcb", opts)
      : () => runStdioTest(code, { input: t.input, expected: t.output }, "lcb", opts),
  );
}

/** LiveCodeBench (code_generation_lite): stdin programs or LeetCode-style functions, private tests. */
export const livecodebenchHandler: Handler = {
  // Upstream decodes every row, then slices; decoding after the slice gives the same rows, faster.
  selectRows: (rows, { task, start, end }) => sliceRows(filterDifficulty(rows, task), start, end).map(toExample),

  makePrompt: (row, { task }) => renderTemplate(task, row, row["is_stdin"] ? "stdin_template" : "non_stdin_template"),

  score: (response, row) => scoreCode(response, (block) => lcbTests(lcbPostProcess(block), row)),
};
