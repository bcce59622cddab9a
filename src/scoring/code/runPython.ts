import { ConfigError } from "../../errors.js";
import { sharedPool, type SandboxPool, type WarmSet } from "./pool.js";
import type { ExecStatus } from "./sandbox.js";

export interface RunPythonOptions {
  /** Text on the program's stdin (default empty). */
  stdin?: string;
  /** Wall-clock limit; the program's whole process tree is killed when it passes (default 10 s). */
  timeoutMs?: number;
  /** Address-space limit (default 2048 MiB). */
  memoryMb?: number;
  /** Cap on stdout and stderr each, and on any file written (default 16 MiB). */
  outputBytes?: number;
  /** Modules preloaded in the interpreter the program is forked from (default "plain"). */
  warm?: WarmSet;
  /** Defaults to the process-wide pool (one slot per core). */
  pool?: SandboxPool;
  /**
   * Where bubblewrap cannot sandbox the program, run it anyway with rlimits only (it can then reach
   * the network and your files). Default: the ambient `withSandboxPolicy`, else false (refused).
   */
  allowUnsandboxed?: boolean;
}

export interface RunPythonResult {
  /** ok: exit 0; error: non-zero exit (exception, sys.exit(n)); timeout: wall clock or CPU limit; killed: any other signal. */
  status: ExecStatus;
  stdout: string;
  stderr: string;
  /** null when the program did not exit by itself. */
  exitCode: number | null;
}

const MAX_PROCESSES = 64;

/**
 * Runs `code` as `python3 main.py` would, in a sandbox: no network, read-only system, a private
 * writable temp dir (cwd), no view of the home or project directories, rlimits on CPU, memory,
 * processes, file size and open files, and a minimal environment. See docs/differences-code.md.
 *
 * @throws ConfigError where bubblewrap cannot sandbox it and `allowUnsandboxed` is not given
 */
export async function runPython(code: string, opts: RunPythonOptions = {}): Promise<RunPythonResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const memoryMb = opts.memoryMb ?? 2048;
  const outputBytes = opts.outputBytes ?? 16 << 20;
  for (const [name, value] of [["timeoutMs", timeoutMs], ["memoryMb", memoryMb], ["outputBytes", outputBytes]] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new ConfigError(`runPython: ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  const result = await (opts.pool ?? sharedPool()).run(
    { code, stdin: opts.stdin ?? "", timeoutMs, memoryMb, outputBytes, maxProcesses: MAX_PROCESSES },
    opts.warm ?? "plain",
    opts.allowUnsandboxed,
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
}
