#!/usr/bin/env node
// `npm run build:native`: rebuilds the addon.
//   (no flags)                 node-gyp against node-llama-cpp's prebuilt libraries
//   --install                  what npm install runs: the above, then ggml's CPU backend compiled for
//                              this CPU when cmake and a compiler are there (native/build/cpu-backend.mjs)
//   --cpu-backend              only that CPU backend
//   --from-source [--cuda [--cuda-arch A]] [--vulkan] [--tools | --tool NAME ...] [--jobs N]
//                              cmake-js: llama.cpp compiled from the pinned source into the addon
//                              (GGML_NATIVE, so tuned for this CPU; --cuda for your GPU's arch, or
//                              the CMAKE_CUDA_ARCHITECTURES list --cuda-arch gives, e.g. 90a-real).
//                              --tools also builds llama-server and llama-batched-bench in the same
//                              tree (one llama.cpp compile for everything; llama-tools.mjs finds them);
//                              --tool NAME builds only that one (llama-batched-bench needs no web UI).
// The from-source addon lands in native/from-source/skythought.node (git-ignored, and outside
// build/, which every `node-gyp rebuild` wipes); src/engine prefers it over the prebuilt variants.
// Delete that file to go back.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { hasCommand } from "./hasCommand.mjs";
import { cacheRoot, llamaRelease, llamaSourceDir } from "./llama-source.mjs";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The cmake tree of the from-source build, in the cache shared by checkouts (like build-tools). */
export function fromSourceTreeDir() {
  const { tag, nodeLlamaCppVersion } = llamaRelease();
  return join(cacheRoot(), "llama.cpp", `${tag}-nlc${nodeLlamaCppVersion}`, "build-native");
}

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
}

function buildPrebuilt() {
  // npm sets npm_config_node_gyp to its bundled node-gyp when running scripts.
  const gyp = process.env.npm_config_node_gyp;
  if (gyp) run(process.execPath, [gyp, "rebuild"]);
  else run("npx", ["--yes", "node-gyp", "rebuild"]);
}

// The tree is shared by every checkout, and cmake refuses a cache made for another source folder:
// a tree last configured from another checkout (a CI clone, say) is configured afresh. Its llama.cpp
// objects are built by the same commands either way, so they are kept, not compiled again.
function forgetOtherCheckout(tree, sourceDir) {
  const cache = join(tree, "CMakeCache.txt");
  if (!existsSync(cache)) return;
  const home = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(readFileSync(cache, "utf8"))?.[1];
  if (home === sourceDir) return;
  rmSync(cache);
  rmSync(join(tree, "CMakeFiles"), { recursive: true, force: true });
}

function buildFromSource(o) {
  if (!hasCommand("cmake")) throw new Error("--from-source needs cmake (apt-get install cmake, or brew install cmake)");
  if (o["cuda-arch"] && !o.cuda) throw new Error("--cuda-arch only applies with --cuda");
  const src = llamaSourceDir();
  const tree = fromSourceTreeDir();
  const tools = o.tools ? ["llama-server", "llama-batched-bench"] : (o.tool ?? []);
  const defs = [`--CDLLAMA_SOURCE_DIR=${src}`, "--CDGGML_NATIVE=ON", `--CDSKYTHOUGHT_TOOLS=${tools.length ? "ON" : "OFF"}`];
  if (o.cuda) defs.push("--CDGGML_CUDA=ON");
  if (o["cuda-arch"]) defs.push(`--CDCMAKE_CUDA_ARCHITECTURES=${o["cuda-arch"]}`);
  if (o.vulkan) defs.push("--CDGGML_VULKAN=ON");
  if (hasCommand("ccache")) defs.push("--CDCMAKE_C_COMPILER_LAUNCHER=ccache", "--CDCMAKE_CXX_COMPILER_LAUNCHER=ccache");
  const cmakeJs = require.resolve("cmake-js/bin/cmake-js");
  const jobs = o.jobs ?? String(cpus().length);
  const targets = ["skythought", ...tools];
  forgetOtherCheckout(tree, join(root, "native"));
  run(process.execPath, [cmakeJs, "configure", "--directory", join(root, "native"), "--out", tree, "--config", "Release", ...defs]);
  run("cmake", ["--build", tree, "--config", "Release", "-j", jobs, "--target", ...targets]);
  const built = [join(tree, "Release", "skythought.node"), join(tree, "skythought.node")].find((p) => existsSync(p));
  if (!built) throw new Error(`the build finished but skythought.node is not in ${tree}`);
  const dest = join(root, "native", "from-source", "skythought.node");
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(built, dest);
  process.stdout.write(`${dest}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      "from-source": { type: "boolean", default: false },
      cuda: { type: "boolean", default: false },
      "cuda-arch": { type: "string" },
      vulkan: { type: "boolean", default: false },
      tools: { type: "boolean", default: false },
      tool: { type: "string", multiple: true },
      jobs: { type: "string" },
      install: { type: "boolean", default: false },
      "cpu-backend": { type: "boolean", default: false },
    },
  });
  if (values["from-source"]) buildFromSource(values);
  else if (!values["cpu-backend"]) buildPrebuilt();
  // The CPU backend is worth a minute of install but never a failed one: the script says why not.
  if (values.install || values["cpu-backend"]) run(process.execPath, [join(root, "native", "build", "cpu-backend.mjs")]);
}
