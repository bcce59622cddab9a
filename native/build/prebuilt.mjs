#!/usr/bin/env node
// Where the prebuilt llama.cpp shared libraries of node-llama-cpp's platform packages live, per
// variant (cpu, cuda, vulkan, metal). binding.gyp links one addon per installed variant against
// them, and src/engine loads the variant the user asked for at run time.
//   node native/build/prebuilt.mjs dir <variant>     the bins folder ("" when not installed)
//   node native/build/prebuilt.mjs has <variant>     1 or 0
//   node native/build/prebuilt.mjs libs <variant>    linker flags for binding.gyp
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The platform package name of a variant, as node-llama-cpp names them. */
export function platformPackage(variant, platform = process.platform, arch = process.arch) {
  const os = platform === "win32" ? "win" : platform === "darwin" ? "mac" : platform;
  if (variant === "metal") return os === "mac" ? `@node-llama-cpp/mac-${arch}-metal` : null;
  if (variant === "cpu") return os === "mac" && arch === "arm64" ? null : `@node-llama-cpp/${os}-${arch}`;
  return `@node-llama-cpp/${os}-${arch}-${variant}`;
}

function packageDir(name) {
  for (const base of [join(dirname(fileURLToPath(import.meta.url)), "..", ".."), process.cwd()]) {
    try {
      // The packages' export maps hide package.json, so resolve from the package folder itself.
      const paths = require.resolve.paths(name) ?? [];
      const found = [join(base, "node_modules"), ...paths].map((p) => join(p, name)).find((d) => existsSync(join(d, "bins")));
      if (found) return found;
    } catch {
      // fall through to the next base
    }
  }
  return null;
}

/** The folder with the variant's libllama/libggml, or null when that package is not installed. */
export function prebuiltDir(variant) {
  const pkg = platformPackage(variant);
  const dir = pkg && packageDir(pkg);
  if (!dir) return null;
  const bins = join(dir, "bins");
  const sub = readdirSync(bins).find((d) => existsSync(join(bins, d)) && readdirSync(join(bins, d)).some((f) => /^libllama\..*so$|^libllama\..*dylib$|^llama\..*dll$/.test(f)));
  return sub ? join(bins, sub) : null;
}

/** The versioned library files a program links: libllama.<tag>.so, libggml.<tag>.so, libggml-base.so. */
export function prebuiltLibs(variant) {
  const dir = prebuiltDir(variant);
  if (!dir) return null;
  const files = readdirSync(dir);
  const pick = (re) => files.find((f) => re.test(f));
  const llama = pick(/^libllama\.(?!common).*\.(so|dylib)$/);
  const ggml = pick(/^libggml\.(?!base).*\.(so|dylib)$/);
  const base = pick(/^libggml-base\.(so|dylib)$/);
  if (!llama || !ggml || !base) return null;
  return { dir, files: [llama, ggml, base] };
}

function linkFlags(variant) {
  const libs = prebuiltLibs(variant);
  if (!libs) return "";
  // Absolute rpath for this checkout, plus $ORIGIN-relative ones for a moved or hoisted install.
  const rel = dirname(libs.dir).split("node_modules").pop();
  const rpaths = [libs.dir, `$$ORIGIN/../../node_modules${rel}/${libs.dir.split("/").pop()}`, `$$ORIGIN/../../..${rel}/${libs.dir.split("/").pop()}`];
  return [`-L${libs.dir}`, ...libs.files.map((f) => `-l:${f}`), ...rpaths.map((r) => `-Wl,-rpath,${r}`)].join(" ");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [cmd, variant] = process.argv.slice(2);
  if (cmd === "dir") process.stdout.write(prebuiltDir(variant) ?? "");
  else if (cmd === "has") process.stdout.write(prebuiltLibs(variant) ? "1" : "0");
  else if (cmd === "libs") process.stdout.write(linkFlags(variant));
  else {
    process.stderr.write("usage: prebuilt.mjs dir|has|libs <cpu|cuda|vulkan|metal>\n");
    process.exit(2);
  }
}
