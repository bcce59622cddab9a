import { availableParallelism } from "node:os";
import { MAX_SLOTS, type Launcher } from "./launcher.js";
import { Sandbox, type ExecRequest, type ExecResult } from "./sandbox.js";
import { permittedLauncher } from "./sandboxPolicy.js";

/**
 * Modules a zygote imports before forking. "plain" keeps forks cheap (a numpy-laden process forks
 * ~3x slower); "prelude" holds everything the APPS/TACO import prelude and the test harnesses use,
 * so that each test does not pay numpy's import.
 */
export const WARM_SETS = {
  plain: [],
  prelude: [
    "numpy", "json", "fractions", "heapq", "random", "collections", "itertools", "functools", "math",
    "typing", "string", "re", "datetime", "bisect", "copy", "statistics", "operator", "decimal",
  ],
} as const satisfies Record<string, readonly string[]>;

export type WarmSet = keyof typeof WARM_SETS;

interface Slot {
  index: number;
  sandboxes: Map<WarmSet, Sandbox>;
}

/**
 * Runs programs on up to `size` sandbox slots at once (default: the core count), first come first
 * served. Each slot keeps one zygote per warm set, started on first use.
 */
export class SandboxPool {
  readonly size: number;
  #free: Slot[] = [];
  #all: Slot[] = [];
  #waiting: ((slot: Slot) => void)[] = [];

  constructor(opts: { size?: number } = {}) {
    this.size = Math.min(MAX_SLOTS, Math.max(1, opts.size ?? availableParallelism()));
    for (let index = 0; index < this.size; index++) {
      const slot = { index, sandboxes: new Map<WarmSet, Sandbox>() };
      this.#all.push(slot);
      this.#free.push(slot);
    }
  }

  /**
   * Runs one program on a free slot.
   *
   * @param allowUnsandboxed overrides the ambient SandboxPolicy (withSandboxPolicy)
   * @throws ConfigError where there is no sandbox and running without one is not allowed
   */
  async run(req: ExecRequest, warm: WarmSet = "plain", allowUnsandboxed?: boolean): Promise<ExecResult> {
    const launcher: Launcher = await permittedLauncher(allowUnsandboxed);
    const slot = await this.#acquire();
    try {
      let sandbox = slot.sandboxes.get(warm);
      if (!sandbox) {
        sandbox = new Sandbox(launcher, slot.index, WARM_SETS[warm]);
        slot.sandboxes.set(warm, sandbox);
      }
      return await sandbox.run(req);
    } finally {
      this.#release(slot);
    }
  }

  /** Stops every zygote; the pool starts new ones if used again. */
  close(): void {
    for (const slot of this.#all) {
      for (const sandbox of slot.sandboxes.values()) sandbox.close();
      slot.sandboxes.clear();
    }
  }

  #acquire(): Promise<Slot> {
    const slot = this.#free.pop();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(slot: Slot): void {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else this.#free.push(slot);
  }
}

let shared: SandboxPool | undefined;

/** The process-wide pool that `runPython` and the code scorers use. */
export function sharedPool(): SandboxPool {
  shared ??= new SandboxPool();
  return shared;
}

/** Stops the shared pool's zygotes (they never keep Node alive while idle, so this is optional). */
export function closeSharedPool(): void {
  shared?.close();
}
