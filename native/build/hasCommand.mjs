// Whether a program is on the PATH (cmake, ccache, a C++ compiler), as the shell finds it.
import { execFileSync } from "node:child_process";

export function hasCommand(cmd) {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
