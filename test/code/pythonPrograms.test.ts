import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ensureBuilt, ROOT } from "../cli/build.js";
import { python } from "./pythonEnv.js";

const SRC = join(ROOT, "src", "scoring", "code");
const programs = readdirSync(SRC).filter((f) => f.endsWith(".py")).sort();

test("the sandbox's Python programs are real Python files", () => {
  expect(programs).toEqual(["callHarness.py", "compareHarness.py", "zygote.py"]);
  for (const file of programs) {
    // compile() raises SyntaxError with the file and line on a broken program.
    execFileSync(python, ["-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", join(SRC, file)]);
  }
});

test("the build copies them into dist/ beside the modules that read them", async () => {
  await ensureBuilt();
  for (const file of programs) {
    expect(readFileSync(join(ROOT, "dist", "scoring", "code", file), "utf8")).toBe(readFileSync(join(SRC, file), "utf8"));
  }
});
