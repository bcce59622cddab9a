#!/usr/bin/env node
// The llama.cpp source pinned by node-llama-cpp: it ships the release as a git bundle
// (llama/gitRelease.bundle). We unpack it once into a cache folder and print that folder,
// so binding.gyp can take headers from it and the source builds can compile it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** node-llama-cpp's package folder (its exports map hides package.json, so walk up from its entry). */
export function nodeLlamaCppDir() {
  let dir = dirname(require.resolve("node-llama-cpp"));
  while (!existsSync(join(dir, "llama", "llama.cpp.info.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("node-llama-cpp is installed without its llama/ folder; reinstall it");
    dir = parent;
  }
  return dir;
}

export function llamaRelease() {
  const info = JSON.parse(readFileSync(join(nodeLlamaCppDir(), "llama", "llama.cpp.info.json"), "utf8"));
  const { version } = JSON.parse(readFileSync(join(nodeLlamaCppDir(), "package.json"), "utf8"));
  return { tag: info.tag, nodeLlamaCppVersion: version };
}

export function cacheRoot() {
  return process.env.SKYTHOUGHT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "skythought");
}

/** Unpacks the bundle (once) and returns the source folder. */
export function llamaSourceDir() {
  const { tag, nodeLlamaCppVersion } = llamaRelease();
  const dir = join(cacheRoot(), "llama.cpp", `${tag}-nlc${nodeLlamaCppVersion}`, "src");
  if (existsSync(join(dir, "include", "llama.h"))) return dir;
  const bundle = join(nodeLlamaCppDir(), "llama", "gitRelease.bundle");
  if (!existsSync(bundle)) throw new Error(`llama.cpp source bundle not found at ${bundle}; reinstall node-llama-cpp`);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    execFileSync("git", ["-c", "advice.detachedHead=false", "clone", "--quiet", bundle, tmp], { stdio: ["ignore", "ignore", "inherit"] });
  } catch (err) {
    throw new Error(`could not unpack ${bundle} with git (${err.message}); install git and retry`);
  }
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // Another process unpacked it first.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, "include", "llama.h"))) throw err;
  }
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(llamaSourceDir());
}
