export { runPython, type RunPythonOptions, type RunPythonResult } from "./runPython.js";
export { SandboxPool, sharedPool, closeSharedPool, type WarmSet } from "./pool.js";
export { detectLauncher as sandboxLauncher, type Launcher } from "./launcher.js";
export { permittedLauncher, withSandboxPolicy, type SandboxPolicy } from "./sandboxPolicy.js";
export type { ExecStatus } from "./sandbox.js";
export {
  runStdioTest,
  runCallTest,
  runUntilFailure,
  type TestOutcome,
  type StdioStyle,
  type StdioTest,
  type CallTest,
  type TestRunOptions,
} from "./tests.js";
export { lastCodeBlock, lcbPostProcess } from "./extractCode.js";
