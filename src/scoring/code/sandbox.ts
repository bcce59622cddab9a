import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { SkyThoughtError } from "../../errors.js";
import type { LaunchCommand, Launcher } from "./launcher.js";

export type ExecStatus = "ok" | "error" | "timeout" | "killed";

export interface ExecRequest {
  code: string;
  stdin: string;
  timeoutMs: number;
  memoryMb: number;
  /** Cap on stdout and on stderr (each), and on any file the program writes. */
  outputBytes: number;
  /** RLIMIT_NPROC of the program. */
  maxProcesses: number;
}

export interface ExecResult {
  status: ExecStatus;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
}

// The zygote enforces the time limit itself; this is the backstop for a zygote that stops answering.
const BACKSTOP_MS = 10_000;
const STARTUP_MS = 60_000;

interface Pending {
  resolve(result: ExecResult): void;
  timer: NodeJS.Timeout;
}

/** One zygote process (see zygote.py), running one program at a time. */
export class Sandbox {
  #child: ChildProcessWithoutNullStreams | undefined;
  #command: LaunchCommand | undefined;
  #ready: Promise<void> | undefined;
  #pending: Pending | undefined;
  #buffer = "";
  #stderrTail = "";

  constructor(
    private readonly launcher: Launcher,
    private readonly slot: number,
    private readonly preload: readonly string[],
  ) {}

  async run(req: ExecRequest): Promise<ExecResult> {
    if (this.#pending) throw new Error("Sandbox.run: a program is already running in this slot");
    await this.#start();
    const child = this.#child!;
    this.#setRef(true);
    return new Promise<ExecResult>((resolve) => {
      const timer = setTimeout(() => {
        this.#kill();
        this.#reset();
        this.#settle({ ...emptyResult("timeout"), stderr: "[sandbox] the sandbox stopped answering and was killed" });
      }, req.timeoutMs + BACKSTOP_MS);
      this.#pending = { resolve, timer };
      child.stdin.write(JSON.stringify(req) + "\n");
    });
  }

  close(): void {
    this.#kill();
    this.#reset();
    this.#settle({ ...emptyResult("killed"), stderr: "[sandbox] the sandbox was closed while the program ran" });
  }

  #start(): Promise<void> {
    this.#ready ??= new Promise<void>((resolve, reject) => {
      const command = this.launcher.command(this.slot, this.preload);
      const child = spawn(command.file, command.args, { env: command.env, detached: true, stdio: "pipe" });
      this.#child = child;
      this.#command = command;
      this.#buffer = "";
      this.#stderrTail = "";
      const startup = setTimeout(() => this.#kill(), STARTUP_MS);
      let started = false;
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        this.#buffer += chunk;
        let nl: number;
        while ((nl = this.#buffer.indexOf("\n")) >= 0) {
          const line = this.#buffer.slice(0, nl);
          this.#buffer = this.#buffer.slice(nl + 1);
          if (!started) {
            started = true;
            clearTimeout(startup);
            this.#setRef(false);
            resolve();
          } else {
            const reply = JSON.parse(line) as ExecResult & { dirty?: boolean };
            // The zygote could not clean up after this run and is exiting: the next run starts a new one.
            if (reply.dirty) this.#reset();
            this.#settle(reply);
          }
        }
      });
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => (this.#stderrTail = (this.#stderrTail + chunk).slice(-2000)));
      child.stdin.on("error", () => {}); // a dead zygote is handled on "close"
      child.on("error", (e) => reject(new SkyThoughtError(`cannot start the code sandbox (${command.file}): ${e.message}`)));
      // "close", not "exit": a reply the zygote wrote just before exiting must be read first.
      child.on("close", (code, signal) => {
        clearTimeout(startup);
        if (this.#child !== child) return;
        this.#reset();
        if (!started) {
          reject(
            new SkyThoughtError(
              `the code sandbox exited during startup (${signal ?? `exit code ${code}`}): ${this.#stderrTail.trim()}`,
            ),
          );
        }
        this.#settle({
          ...emptyResult("killed"),
          stderr: "[sandbox] the sandbox process died while the program ran (did the program kill it?)",
        });
      });
    });
    return this.#ready;
  }

  #settle(result: ExecResult): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    clearTimeout(pending.timer);
    this.#setRef(false);
    pending.resolve(result);
  }

  /** Idle zygotes must not keep Node alive; busy ones must. */
  #setRef(on: boolean): void {
    const child = this.#child;
    if (!child) return;
    for (const handle of [child, child.stdout, child.stderr, child.stdin] as unknown as { ref(): void; unref(): void }[]) {
      if (on) handle.ref();
      else handle.unref();
    }
  }

  #kill(): void {
    const child = this.#child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  #reset(): void {
    try {
      this.#command?.dispose();
    } catch {
      // a fallback temp dir the program made undeletable stays behind; the next zygote gets a new one
    }
    this.#child = undefined;
    this.#command = undefined;
    this.#ready = undefined;
  }
}

function emptyResult(status: ExecStatus): ExecResult {
  return { status, stdout: "", stderr: "", exitCode: null, signal: null, wallMs: 0 };
}
