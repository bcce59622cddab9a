#!/usr/bin/env node
// The default install's CPU kernels, compiled on this machine. node-llama-cpp's prebuilt
// libggml-cpu-*.so are built by GCC 11, which keeps tinyBLAS's accumulators on the stack inside
// its inner loop (24 stores per iteration of the f16 kernel, in every x86 variant), so the
// prebuilt libraries decode at about 0.65x of the same source compiled by GCC 12
// (docs/performance.md). This compiles ggml's CPU backend alone (not llama.cpp: about a minute on
// two cores) from the pinned source, for the instruction sets this CPU has, as a backend module
// that the prebuilt libllama loads instead of its own CPU variant: the same release, and it links
// the libggml-base.so already loaded (unversioned soname, as node-llama-cpp builds it).
//   node native/build/cpu-backend.mjs           build it if this machine can (never fails; says why not)
//   node native/build/cpu-backend.mjs --path    print the module's path ("" when there is none)
// SKYTHOUGHT_CPU_BACKEND=prebuilt skips the build and the module (node-llama-cpp's variants only).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasCommand } from "./hasCommand.mjs";
import { llamaSourceDir } from "./llama-source.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the compiled module lives in the package (git-ignored; not in the published files). */
export function cpuBackendPath() {
  return join(root, "native", "cpu-backend", "libggml-cpu.so");
}

/** The module to load: its path when built and not switched off, else "". */
export function cpuBackendToLoad() {
  return process.env.SKYTHOUGHT_CPU_BACKEND !== "prebuilt" && existsSync(cpuBackendPath()) ? cpuBackendPath() : "";
}

// /proc/cpuinfo flags -> ggml's x86 feature options; AVX512 stands for F, CD, VL, DQ and BW.
const X86_FEATURES = [
  [["sse4_2"], "SSE42"], [["avx"], "AVX"], [["f16c"], "F16C"], [["fma"], "FMA"], [["avx2"], "AVX2"], [["bmi2"], "BMI2"],
  [["avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"], "AVX512"], [["avx512vbmi"], "AVX512_VBMI"],
  [["avx512_vnni"], "AVX512_VNNI"], [["avx512_bf16"], "AVX512_BF16"], [["avx_vnni"], "AVX_VNNI"],
  [["amx_tile"], "AMX_TILE"], [["amx_int8"], "AMX_INT8"],
];

/** The ggml feature options of this CPU, or why the module cannot be built here. */
function features() {
  if (process.platform !== "linux" || process.arch !== "x64") return { why: `only x86-64 Linux has it (this is ${process.platform}-${process.arch})` };
  const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("flags"));
  if (!line) return { why: "/proc/cpuinfo lists no flags" };
  const flags = new Set(line.split(":")[1].trim().split(/\s+/));
  return { options: X86_FEATURES.filter(([need]) => need.every((f) => flags.has(f))).map(([, name]) => name) };
}

/** Builds the module; returns its path, or throws with the reason. */
export function buildCpuBackend(log = (m) => process.stderr.write(`${m}\n`)) {
  const f = features();
  if (f.why) throw new Error(f.why);
  if (!hasCommand("cmake")) throw new Error("cmake is not installed");
  if (!hasCommand("c++") && !hasCommand("g++") && !hasCommand("clang++")) throw new Error("no C++ compiler (c++, g++ or clang++) is installed");
  const src = llamaSourceDir();
  const tree = join(dirname(src), `build-cpu-${f.options.join("-").toLowerCase() || "base"}`);
  const on = (o) => `-DGGML_${o}=ON`;
  const defs = [
    "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=ON", "-DGGML_BACKEND_DL=ON", "-DGGML_NATIVE=OFF", "-DGGML_OPENMP=OFF",
    // Sonames without versions, as node-llama-cpp's: the module then binds to the loaded libggml-base.so.
    "-DCMAKE_PLATFORM_NO_VERSIONED_SONAME=ON",
    "-DLLAMA_BUILD_COMMON=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_TOOLS=OFF",
    "-DLLAMA_BUILD_SERVER=OFF", "-DLLAMA_OPENSSL=OFF", ...f.options.map(on),
    ...(hasCommand("ccache") ? ["-DCMAKE_C_COMPILER_LAUNCHER=ccache", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] : []),
  ];
  log(`cpu-backend: compiling ggml's CPU backend for ${f.options.join(" ") || "baseline x86-64"} in ${tree}`);
  // The compiler's warnings on llama.cpp's code are not the installer's business: shown on failure only.
  const cmake = (args) => {
    try {
      execFileSync("cmake", args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
    } catch (err) {
      throw new Error(`cmake ${args[0]} failed: ${String(err.stderr ?? "").trim().split("\n").slice(-12).join("\n")}`);
    }
  };
  cmake(["-S", src, "-B", tree, ...defs]);
  cmake(["--build", tree, "--config", "Release", "-j", String(cpus().length), "--target", "ggml-cpu"]);
  const built = join(tree, "bin", "libggml-cpu.so");
  if (!existsSync(built)) throw new Error(`the build finished but ${built} is missing`);
  const dest = cpuBackendPath();
  mkdirSync(dirname(dest), { recursive: true });
  // By rename, so a running process never maps a half-written file.
  copyFileSync(built, `${dest}.tmp-${process.pid}`);
  renameSync(`${dest}.tmp-${process.pid}`, dest);
  return dest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === "--path") {
    process.stdout.write(cpuBackendToLoad());
  } else if (process.env.SKYTHOUGHT_CPU_BACKEND === "prebuilt") {
    process.stderr.write("cpu-backend: SKYTHOUGHT_CPU_BACKEND=prebuilt, keeping node-llama-cpp's CPU kernels\n");
  } else {
    try {
      process.stdout.write(`${buildCpuBackend()}\n`);
    } catch (err) {
      process.stderr.write(
        `cpu-backend: not built (${err.message}); the engine uses node-llama-cpp's prebuilt CPU kernels, about 0.65x as fast ` +
          `on x86 (docs/performance.md). Retry with \`npm run build:native -- --cpu-backend\`\n`,
      );
    }
  }
}
