import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The interpreter the sandbox picks (same order as src/scoring/code/launcher.ts). */
export const python = process.env.SKYTHOUGHT_PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

/**
 * APPS/TACO solutions run after an import prelude that needs numpy (Debian python3-numpy); without
 * it their scoring refuses to run, so those tests are skipped with this reason.
 */
export const hasNumpy = spawnSync(python, ["-c", "import numpy"], { stdio: "ignore" }).status === 0;
export const NO_NUMPY = `${python} has no numpy (install python3-numpy): APPS/TACO tests skipped`;
