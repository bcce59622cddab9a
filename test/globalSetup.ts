import { existsSync } from "node:fs";

interface LlamaToolsModule {
  llamaToolPath(name: string): string;
  buildLlamaTools(targets: string[]): string;
}

/**
 * `npm test` on a fresh clone builds what the tests need: llama.cpp's own llama-server (the real
 * OpenAI-compatible server of the HTTP backend's integration tests), from the llama.cpp source
 * node-llama-cpp pins, into the shared cache (~/.cache/skythought or SKYTHOUGHT_CACHE). Once; a
 * built one (also by `npm run build:native -- --from-source --tools`) is used as it is.
 */
export default async function setup(): Promise<void> {
  const tools = (await import(new URL("../native/build/llama-tools.mjs", import.meta.url).href)) as LlamaToolsModule;
  if (existsSync(tools.llamaToolPath("llama-server"))) return;
  process.stderr.write(
    "npm test: building llama-server from the pinned llama.cpp source for the HTTP backend's tests " +
      "(first run only: 10-30 minutes on two cores)\n",
  );
  try {
    tools.buildLlamaTools(["llama-server"]);
  } catch (e) {
    throw new Error(
      `npm test could not build llama-server (${(e as Error).message.split("\n")[0]}); it needs cmake, a C++17 compiler ` +
        "and git (Debian: apt-get install cmake g++ git), or run `node native/build/llama-tools.mjs` to see the whole error",
    );
  }
}
