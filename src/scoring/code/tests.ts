import { SkyThoughtError } from "../../errors.js";
import { pyStrip } from "../../py/index.js";
import { APPS_PRELUDE, harnessProgram, VERDICT_MARK } from "./pythonPrograms.js";
import { sharedPool, type SandboxPool } from "./pool.js";
import { runPython } from "./runPython.js";
import type { ExecStatus } from "./sandbox.js";

/** How one test of one response went. */
export interface TestOutcome {
  passed: boolean;
  /** The status of the solution's run (a comparison failure has status "ok"). */
  status: ExecStatus;
  detail: string;
}

/**
 * How a stdin/stdout program is judged:
 * - "apps": output lines through APPS's comparison cascade, solution after the import prelude;
 * - "taco": raw stdout through the same cascade, solution after the prelude;
 * - "lcb": LiveCodeBench's `stdout.strip() == expected.strip()` (expected cut at a trailing "-").
 */
export type StdioStyle = "apps" | "taco" | "lcb";

export interface StdioTest {
  input: string;
  expected: string;
}

export interface CallTest {
  fn: string;
  /** "apps": the argument list (JSON values); "lcb": LiveCodeBench's input text, one JSON value a line. */
  inputs: unknown;
  /** "apps": the JSON expected value; "lcb": LiveCodeBench's output text. */
  expected: unknown;
}

export interface TestRunOptions {
  timeoutMs: number;
  memoryMb?: number;
  pool?: SandboxPool;
}

// Line breaks Python's splitlines() knows besides "\n": their presence means "\n".join(lines) != stdout.
const OTHER_LINE_BREAKS = /[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

function failed(status: ExecStatus, stderr: string): TestOutcome {
  const lastLine = stderr.trim().split("\n").slice(-1)[0] ?? "";
  return { passed: false, status, detail: status === "timeout" ? "time limit exceeded" : lastLine.slice(0, 300) };
}

// The APPS/TACO prelude imports numpy; without it every solution would fail, so say so instead.
function requireNumpy(stderr: string): void {
  if (stderr.includes("No module named 'numpy'")) {
    throw new SkyThoughtError(
      "cannot score APPS/TACO solutions: the sandbox's python3 has no numpy, which their import prelude needs; " +
        "install it (Debian: apt-get install python3-numpy) or point SKYTHOUGHT_PYTHON at an interpreter that has it",
    );
  }
}

function readVerdict(stdout: string): { passed: boolean; detail: string } | undefined {
  const at = stdout.lastIndexOf(VERDICT_MARK);
  if (at < 0) return undefined;
  const line = stdout.slice(at + VERDICT_MARK.length).split("\n")[0]!;
  return JSON.parse(line) as { passed: boolean; detail: string };
}

function lcbExpected(output: string): string {
  let expected = pyStrip(output);
  if (expected.endsWith("-")) expected = pyStrip(expected.slice(0, expected.lastIndexOf("-")), "end");
  return expected;
}

/** Runs a program on one input and compares its stdout; a non-zero exit, a crash or a timeout fails. */
export async function runStdioTest(code: string, test: StdioTest, style: StdioStyle, opts: TestRunOptions): Promise<TestOutcome> {
  const program = style === "lcb" ? code : `${APPS_PRELUDE}stdin = sys.stdin\nstdout = sys.stdout\n${code}`;
  const run = await runPython(program, {
    stdin: test.input,
    timeoutMs: opts.timeoutMs,
    memoryMb: opts.memoryMb,
    warm: style === "lcb" ? "plain" : "prelude",
    pool: opts.pool,
  });
  if (run.status !== "ok") {
    if (style !== "lcb") requireNumpy(run.stderr);
    return failed(run.status, run.stderr);
  }
  if (style === "lcb") {
    const passed = pyStrip(run.stdout) === lcbExpected(test.expected);
    return { passed, status: "ok", detail: passed ? "" : "wrong output" };
  }
  // The cascade's first step, in TypeScript: it settles most correct answers without a second run.
  if (!OTHER_LINE_BREAKS.test(run.stdout) && pyStrip(run.stdout) === pyStrip(test.expected)) {
    return { passed: true, status: "ok", detail: "" };
  }
  const compare = await runPython(harnessProgram("compareHarness.py"), {
    stdin: JSON.stringify({ stdout: run.stdout, expected: test.expected, shape: style === "apps" ? "lines" : "raw" }),
    timeoutMs: 30_000,
    warm: "prelude",
    pool: opts.pool,
  });
  const verdict = readVerdict(compare.stdout);
  if (!verdict) throw new Error(`the output comparison failed to run (${compare.status}): ${compare.stderr.slice(-500)}`);
  return { passed: verdict.passed, status: "ok", detail: verdict.passed ? "" : "wrong output" };
}

/** Loads the solution, calls its function on one test's arguments and compares the result. */
export async function runCallTest(code: string, test: CallTest, style: "apps" | "lcb", opts: TestRunOptions): Promise<TestOutcome> {
  const run = await runPython(harnessProgram("callHarness.py", style === "apps" ? APPS_PRELUDE : ""), {
    stdin: JSON.stringify({ style, code, fn: test.fn, inputs: test.inputs, expected: test.expected }),
    timeoutMs: opts.timeoutMs,
    memoryMb: opts.memoryMb,
    warm: "prelude",
    pool: opts.pool,
  });
  const verdict = run.status === "ok" ? readVerdict(run.stdout) : undefined;
  if (!verdict) return failed(run.status === "ok" ? "error" : run.status, run.stderr || "the harness gave no verdict");
  if (style === "apps" && verdict.detail.startsWith("cannot load the solution")) requireNumpy(verdict.detail);
  return { passed: verdict.passed, status: "ok", detail: verdict.detail };
}

/**
 * Runs a response's tests in order, up to the pool's size at once, and stops starting new ones at
 * the first failure. Passed only if every test passed.
 */
export async function runUntilFailure(
  tests: readonly (() => Promise<TestOutcome>)[],
  pool: SandboxPool = sharedPool(),
): Promise<{ passed: boolean; outcomes: TestOutcome[] }> {
  const outcomes: TestOutcome[] = [];
  let next = 0;
  let failedAt = -1;
  const worker = async () => {
    while (failedAt < 0 && next < tests.length) {
      const index = next++;
      const outcome = await tests[index]!();
      outcomes[index] = outcome;
      if (!outcome.passed && (failedAt < 0 || index < failedAt)) failedAt = index;
    }
  };
  await Promise.all(Array.from({ length: Math.min(pool.size, tests.length) }, worker));
  return { passed: tests.length > 0 && failedAt < 0, outcomes: outcomes.filter(Boolean) };
}
