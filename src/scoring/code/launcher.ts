import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, chownSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { SkyThoughtError } from "../../errors.js";
import { pythonProgram } from "./pythonPrograms.js";

/** How a sandbox slot's zygote is started: inside bubblewrap, or (fallback) with rlimits only. */
export interface Launcher {
  kind: "bwrap" | "rlimits";
  /** Why bubblewrap is not used; set for "rlimits". */
  reason?: string;
  python: string;
  command(slot: number, preload: readonly string[]): LaunchCommand;
}

export interface LaunchCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Removes what the command needed on disk (the fallback's temp dir). */
  dispose(): void;
}

// As root, each slot runs as its own unprivileged uid: RLIMIT_NPROC then counts only that slot's
// processes (root is exempt from it), and the zygote may kill(-1) everything of that uid after a run.
// The uid is unique to (this process, slot), so two skythought processes never share one:
// 100000 + pid * 256 + slot stays below 2^31 for any Linux pid (pid_max <= 2^22).
const SLOT_UID_BASE = 100_000;
export const MAX_SLOTS = 256;

function slotUid(slot: number): number {
  return SLOT_UID_BASE + process.pid * MAX_SLOTS + slot;
}
const SANDBOX_TMP_BYTES = 512 << 20;
const SANDBOX_SHM_BYTES = 64 << 20;

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function findPython(): string {
  const chosen = process.env.SKYTHOUGHT_PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : which("python3"));
  if (!chosen) {
    throw new SkyThoughtError(
      "cannot run generated code: no python3 found (looked at /usr/bin/python3 and PATH); install python3 " +
        "(Debian: apt-get install python3 python3-numpy) or set SKYTHOUGHT_PYTHON to an interpreter",
    );
  }
  return chosen;
}

function baseEnv(home: string): Record<string, string> {
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: home,
    OPENBLAS_NUM_THREADS: "1",
    OMP_NUM_THREADS: "1",
    MKL_NUM_THREADS: "1",
  };
}

function dropPrivileges(slot: number, setpriv: string | undefined): string[] {
  if (process.getuid?.() !== 0 || !setpriv) return [];
  const uid = String(slotUid(slot));
  return [setpriv, `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--"];
}

/** Directories the interpreter needs, read-only; merged-/usr symlinks stay symlinks. */
function systemBinds(pythonPrefix: string): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  for (const file of ["/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime"]) {
    args.push("--ro-bind-try", file, file);
  }
  if (!pythonPrefix.startsWith("/usr/")) args.push("--ro-bind", pythonPrefix, pythonPrefix);
  return args;
}

function zygoteArgs(python: string, root: string, sweep: string, preload: readonly string[]): string[] {
  return [python, "-I", "-c", pythonProgram("zygote.py"), root, sweep, preload.join(",")];
}

function bwrapLauncher(python: string, prefix: string, bwrap: string, setpriv: string | undefined): Launcher {
  const binds = systemBinds(prefix);
  return {
    kind: "bwrap",
    python,
    command(slot, preload) {
      const full = [
        ...dropPrivileges(slot, setpriv),
        bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        ...binds,
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", String(SANDBOX_SHM_BYTES), "--tmpfs", "/dev/shm",
        "--remount-ro", "/dev",
        "--size", String(SANDBOX_TMP_BYTES), "--tmpfs", "/tmp",
        "--chdir", "/tmp",
        // The root is a tmpfs bwrap builds; without this, "/" and "/etc" would be writable (and unbounded).
        "--remount-ro", "/",
        ...zygoteArgs(python, "/tmp", "ns", preload),
      ];
      return { file: full[0]!, args: full.slice(1), env: baseEnv("/tmp"), dispose() {} };
    },
  };
}

function rlimitLauncher(python: string, reason: string, setpriv: string | undefined): Launcher {
  return {
    kind: "rlimits",
    reason,
    python,
    command(slot, preload) {
      const root = mkdtempSync(join(tmpdir(), "skythought-sandbox-"));
      const drop = dropPrivileges(slot, setpriv);
      if (drop.length > 0) chownSync(root, slotUid(slot), slotUid(slot));
      const full = [...drop, ...zygoteArgs(python, root, drop.length > 0 ? "uid" : "group", preload)];
      return {
        file: full[0]!,
        args: full.slice(1),
        env: baseEnv(root),
        dispose: () => rmSync(root, { recursive: true, force: true }),
      };
    },
  };
}

function runProbe(cmd: LaunchCommand, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd.file, cmd.args, { env: cmd.env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes('"ready"')) child.stdin.end();
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: e.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      cmd.dispose();
      const ok = out.includes('"ready"') && code === 0;
      resolve({ ok, detail: ok ? "" : (err.trim() || `exit code ${code}`).slice(-500) });
    });
  });
}

async function pythonPrefix(python: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ["-I", "-c", "import sys; print(sys.base_prefix)"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", (e) =>
      reject(new SkyThoughtError(`cannot run generated code: ${python} does not start (${e.message}); install python3 or set SKYTHOUGHT_PYTHON`)),
    );
    child.on("close", () => resolve(out.trim() || "/usr"));
  });
}

let detected: Promise<Launcher> | undefined;

/**
 * Finds python3 and checks, once, that bubblewrap can start it in a sandbox. If bwrap is missing or
 * cannot set up its namespaces here (or SKYTHOUGHT_SANDBOX=rlimits), the launcher is the fallback,
 * rlimits + a fresh temp dir, with the reason; whether code may run on it is sandboxPolicy's call.
 */
export function detectLauncher(): Promise<Launcher> {
  detected ??= (async () => {
    const python = findPython();
    const prefix = await pythonPrefix(python);
    const setpriv = which("setpriv");
    const bwrap = process.env.SKYTHOUGHT_SANDBOX === "rlimits" ? undefined : which("bwrap");
    let reason: string;
    if (bwrap) {
      const launcher = bwrapLauncher(python, prefix, bwrap, setpriv);
      const probe = await runProbe(launcher.command(0, []), 30_000);
      if (probe.ok) return launcher;
      reason = `bubblewrap cannot set up a sandbox here (${probe.detail})`;
    } else {
      reason =
        process.env.SKYTHOUGHT_SANDBOX === "rlimits"
          ? "SKYTHOUGHT_SANDBOX=rlimits is set"
          : "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)";
    }
    return rlimitLauncher(python, reason, setpriv);
  })();
  return detected;
}
