import { AsyncLocalStorage } from "node:async_hooks";
import { ConfigError } from "../../errors.js";
import { detectLauncher, type Launcher } from "./launcher.js";

/** Whether generated code may run where bubblewrap cannot sandbox it. */
export interface SandboxPolicy {
  /**
   * Run it with rlimits and a fresh temp dir only, where it can reach the network and the user's
   * files (lm-evaluation-harness asks the same with --confirm_run_unsafe_code). Default false.
   */
  allowUnsandboxed: boolean;
}

const ambient = new AsyncLocalStorage<SandboxPolicy>();
let warned = false;

/**
 * Runs `fn` under `policy`: every runPython and code test it starts (the task handlers' included)
 * follows it unless a call passes its own `allowUnsandboxed`.
 */
export function withSandboxPolicy<T>(policy: SandboxPolicy, fn: () => T): T {
  return ambient.run(policy, fn);
}

/**
 * The launcher generated code runs with: bubblewrap's sandbox, or the rlimits-only fallback when
 * it is allowed (by `allowUnsandboxed`, else the ambient policy); says once, as a process
 * warning, that code runs unsandboxed.
 *
 * @throws ConfigError saying why there is no sandbox, how to install bubblewrap and how to opt in
 */
export async function permittedLauncher(allowUnsandboxed?: boolean): Promise<Launcher> {
  const launcher = await detectLauncher();
  if (launcher.kind === "bwrap") return launcher;
  if (!(allowUnsandboxed ?? ambient.getStore()?.allowUnsandboxed ?? false)) {
    throw new ConfigError(
      `refusing to run generated code without a sandbox: ${launcher.reason}. Unsandboxed, the model's code could reach ` +
        "the network and your files. Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or accept the risk " +
        "with --allow-unsandboxed-code (library: allowUnsandboxedCode: true)",
    );
  }
  if (!warned) {
    warned = true;
    process.emitWarning(
      `${launcher.reason}; generated code runs with rlimits and a fresh temp dir only, without namespaces ` +
        "(it can see the file system and the network), as --allow-unsandboxed-code allows",
      { code: "SKYTHOUGHT_SANDBOX_FALLBACK" },
    );
  }
  return launcher;
}
