import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EngineError } from "../errors.js";
import type { AddonBindings, AddonDevice } from "./native.js";

/** What the user asks for. `false` and "cpu" mean no GPU. */
export type GpuRequest = "auto" | "cuda" | "vulkan" | "metal" | "cpu" | false;
export type AddonVariant = "cpu" | "cuda" | "vulkan" | "metal";

export interface LoadedAddon {
  bindings: AddonBindings;
  /** The llama.cpp build in use; "source" for `npm run build:native -- --from-source`. */
  variant: AddonVariant | "source";
  /**
   * Whose CPU kernels run: "compiled" (ggml's CPU backend built for this CPU at install,
   * native/build/cpu-backend.mjs), "prebuilt" (node-llama-cpp's variant) or "source" (the
   * from-source addon's own).
   */
  cpuBackend: "compiled" | "prebuilt" | "source";
  requested: GpuRequest;
  /** Whether a GPU device is in use (false when the variant found none and runs on its CPU backend). */
  gpu: boolean;
  devices: AddonDevice[];
  /** Set when the request could not be met and the engine runs on the CPU instead: why. */
  fallback?: string;
  addonPath: string;
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);

let loaded: LoadedAddon | undefined;

interface PrebuiltModule {
  prebuiltDir(variant: string): string | null;
}

interface CpuBackendModule {
  cpuBackendToLoad(): string;
}

/**
 * Loads the addon variant for a GPU request, once per process: every variant links its own
 * libllama but they share libggml-base.so by name, so two variants cannot live in one process.
 * A later call with another request gets the first choice back, with `fallback` saying so.
 */
export async function loadAddon(requested: GpuRequest, log: (message: string) => void): Promise<LoadedAddon> {
  if (loaded) {
    if (requested !== loaded.requested && requested !== "auto" && !wantsCpu(requested)) {
      log(`gpu=${String(requested)} ignored: this process already runs the ${loaded.variant} build of llama.cpp (one per process)`);
    }
    return loaded;
  }
  const prebuilt = (await import(pathToFileURL(join(packageRoot, "native", "build", "prebuilt.mjs")).href)) as PrebuiltModule;
  const fromSource = join(packageRoot, "native", "from-source", "skythought.node");
  // SKYTHOUGHT_ADDON=prebuilt ignores a from-source build (CI tests both builds on one machine).
  const useSource = existsSync(fromSource) && process.env.SKYTHOUGHT_ADDON !== "prebuilt";
  const cpuBackend = (await import(pathToFileURL(join(packageRoot, "native", "build", "cpu-backend.mjs")).href)) as CpuBackendModule;
  const result = useSource ? loadFromSource(fromSource, requested) : loadPrebuilt(prebuilt, requested, cpuBackend.cpuBackendToLoad());
  if (result.fallback) log(`llama.cpp: ${result.fallback}; running on the CPU`);
  loaded = result;
  return result;
}

function addonFile(variant: AddonVariant): string {
  return join(packageRoot, "build", "Release", `skythought_${variant}.node`);
}

/** gpu=cpu (or false): the model gets no GPU device, whichever build the process loaded. */
export function wantsCpu(requested: GpuRequest): requested is false | "cpu" {
  return requested === false || requested === "cpu";
}

function candidates(requested: GpuRequest): AddonVariant[] {
  if (wantsCpu(requested)) return ["cpu"];
  if (requested !== "auto") return [requested];
  return process.platform === "darwin" ? ["metal", "cpu"] : ["cuda", "vulkan", "cpu"];
}

// A variant is worth loading only if its build exists, its libraries are installed and the
// machine has the driver it needs; otherwise the next candidate is tried (ending with cpu).
function unavailable(variant: AddonVariant, prebuilt: PrebuiltModule): string | null {
  if (!existsSync(addonFile(variant))) return `the ${variant} addon is not built (build/Release/skythought_${variant}.node)`;
  if (!prebuilt.prebuiltDir(variant)) return `@node-llama-cpp's ${variant} package is not installed`;
  if (variant === "cuda" && process.platform === "linux" && !existsSync("/proc/driver/nvidia/version")) return "no NVIDIA driver found";
  if (variant === "vulkan" && !hasVulkanLoader()) return "no Vulkan loader (libvulkan.so.1) found";
  return null;
}

function hasVulkanLoader(): boolean {
  const dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];
  return dirs.some((d) => existsSync(join(d, "libvulkan.so.1")));
}

// The CPU backend compiled at install replaces node-llama-cpp's CPU kernels in the cpu build only;
// the GPU builds keep their folder's (the GPU does the work there).
function loadPrebuilt(prebuilt: PrebuiltModule, requested: GpuRequest, cpuModule: string): LoadedAddon {
  const reasons: string[] = [];
  for (const variant of candidates(requested)) {
    const why = unavailable(variant, prebuilt);
    if (why) {
      reasons.push(why);
      continue;
    }
    return open(addonFile(variant), variant, prebuilt.prebuiltDir(variant) ?? "", variant === "cpu" ? cpuModule : "", requested, reasons);
  }
  // The requested GPU build is missing: the CPU build is the fallback.
  const cpuWhy = unavailable("cpu", prebuilt);
  if (cpuWhy) {
    throw new EngineError(`cannot load the native engine: ${cpuWhy}; run \`npm rebuild skythought\` (needs a C++ compiler) or reinstall`);
  }
  return open(addonFile("cpu"), "cpu", prebuilt.prebuiltDir("cpu") ?? "", cpuModule, requested, reasons);
}

function open(file: string, variant: AddonVariant, libDir: string, cpuModule: string, requested: GpuRequest, reasons: string[]): LoadedAddon {
  let bindings: AddonBindings;
  try {
    bindings = require(file) as AddonBindings;
  } catch (err) {
    throw new EngineError(`cannot load the native engine ${file}: ${(err as Error).message}; run \`npm rebuild skythought\``);
  }
  const loaded = bindings.loadBackends(libDir, cpuModule);
  const devices = loaded.devices;
  const gpu = devices.some((d) => d.type === "gpu" || d.type === "igpu");
  if (variant !== "cpu" && !gpu) reasons.push(`the ${variant} build found no ${variant} device`);
  const wantedGpu = requested !== false && requested !== "cpu";
  const fallback = wantedGpu && !gpu ? `gpu=${String(requested)}: ${reasons.join("; ") || "no GPU device found"}` : undefined;
  const cpuBackend = loaded.cpuModule ? "compiled" : "prebuilt";
  return { bindings, variant, cpuBackend, requested, gpu, devices, fallback, addonPath: file };
}

function loadFromSource(file: string, requested: GpuRequest): LoadedAddon {
  const result = open(file, "cpu", "", "", requested, []);
  return { ...result, variant: "source", cpuBackend: "source" };
}

interface LlamaSourceModule {
  llamaRelease(): { tag: string; nodeLlamaCppVersion: string };
  cacheRoot(): string;
}

/** Versions recorded in run.json: llama.cpp's release and commit, and this package's (the addon's). */
export async function engineVersions(): Promise<{ llamaCpp: { tag: string; commit: string | null }; addon: string }> {
  const src = (await import(pathToFileURL(join(packageRoot, "native", "build", "llama-source.mjs")).href)) as LlamaSourceModule;
  const { tag, nodeLlamaCppVersion } = src.llamaRelease();
  const head = join(src.cacheRoot(), "llama.cpp", `${tag}-nlc${nodeLlamaCppVersion}`, "src", ".git", "HEAD");
  const commit = existsSync(head) ? readFileSync(head, "utf8").trim() : "";
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  return { llamaCpp: { tag, commit: /^[0-9a-f]{40}$/.test(commit) ? commit : null }, addon: version };
}
