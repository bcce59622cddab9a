#!/usr/bin/env node
// Builds llama.cpp's own programs (llama-server for the HTTP backend's integration tests,
// llama-batched-bench for `npm run bench:compare`) from the pinned source, CPU only, into a
// cache folder shared by every checkout. Prints the folder holding the binaries.
//   node native/build/llama-tools.mjs [target ...]     (default: llama-server llama-batched-bench)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { llamaSourceDir } from "./llama-source.mjs";

export function llamaToolsDir() {
  return join(dirname(llamaSourceDir()), "build-tools");
}

/**
 * A tool from the static tools tree, or else from the from-source addon tree
 * (`npm run build:native -- --from-source --tools`), which compiles llama.cpp once for both.
 */
export function llamaToolPath(name) {
  const own = join(llamaToolsDir(), "bin", name);
  const shared = join(dirname(llamaSourceDir()), "build-native", "bin", name);
  return existsSync(own) || !existsSync(shared) ? own : shared;
}

export function buildLlamaTools(targets = ["llama-server", "llama-batched-bench"], log = process.stderr) {
  const missing = targets.filter((t) => !existsSync(llamaToolPath(t)));
  if (missing.length === 0) return llamaToolsDir();
  const src = llamaSourceDir();
  const build = llamaToolsDir();
  const run = (args) => execFileSync("cmake", args, { stdio: ["ignore", log === process.stderr ? "inherit" : "ignore", "inherit"] });
  if (!existsSync(join(build, "CMakeCache.txt"))) {
    run([
      "-S", src, "-B", build,
      "-DCMAKE_BUILD_TYPE=Release",
      "-DBUILD_SHARED_LIBS=OFF",
      "-DLLAMA_BUILD_TESTS=OFF",
      "-DLLAMA_BUILD_EXAMPLES=OFF",
      "-DLLAMA_BUILD_UI=OFF",
      "-DLLAMA_USE_PREBUILT_UI=OFF",
      "-DLLAMA_OPENSSL=OFF",
      "-DGGML_NATIVE=ON",
    ]);
  }
  run(["--build", build, "--config", "Release", "-j", String(cpus().length), "--target", ...missing]);
  return build;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const targets = process.argv.slice(2);
  process.stdout.write(buildLlamaTools(targets.length ? targets : undefined) + "\n");
}
