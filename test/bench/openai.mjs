#!/usr/bin/env node
// Benchmark of the openai backend against real llama-servers (the pinned llama.cpp's own):
//  - client CPU per completed request (process.cpuUsage of this process only; target <= 2 ms),
//  - generated tokens/s with one server, then with two, and their ratio (target >= 1.8x, which
//    needs a free core per server).
// Needs `npm run build` (dist/) and `node native/build/llama-tools.mjs` (llama-server).
//   node test/bench/openai.mjs [--model X.gguf] [--requests 96] [--max-tokens 48] [--parallel 4] [--threads 1] [--json]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cacheRoot } from "../../native/build/llama-source.mjs";
import { llamaToolPath } from "../../native/build/llama-tools.mjs";

const { values: opt } = parseArgs({
  options: {
    model: { type: "string" },
    requests: { type: "string", default: "96" },
    "max-tokens": { type: "string", default: "48" },
    parallel: { type: "string", default: "4" },
    threads: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
  },
});
const requests = Number(opt.requests);
const maxTokens = Number(opt["max-tokens"]);
const parallel = Number(opt.parallel);

const dist = new URL("../../dist/", import.meta.url);
if (!existsSync(new URL("backends/openai/index.js", dist))) {
  throw new Error("dist/ is missing: run `npm run build` first");
}
const { createOpenAIBackend } = await import(new URL("backends/openai/index.js", dist).href);
const server = llamaToolPath("llama-server");
if (!existsSync(server)) throw new Error(`${server} is missing: run \`node native/build/llama-tools.mjs\``);

/** A random-weight qwen2-shaped model big enough that decoding, not HTTP, dominates the server. */
async function benchModel() {
  if (opt.model) return opt.model;
  const path = join(cacheRoot(), "models", "bench-openai-v1.gguf");
  if (existsSync(path)) return path;
  const { writeRandomModel } = await import(new URL("gguf/index.js", dist).href);
  mkdirSync(join(cacheRoot(), "models"), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeRandomModel(tmp, {
    architecture: "qwen2", vocab: "synthetic", embeddingLength: 512, blockCount: 8,
    feedForwardLength: 1536, headCount: 8, headCountKv: 4, weightType: "f16", seed: 7,
  });
  renameSync(tmp, path);
  return path;
}

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function startServer(model) {
  const port = await freePort();
  const child = spawn(server, ["-m", model, "--host", "127.0.0.1", "--port", String(port), "--parallel", String(parallel),
    "-c", String(parallel * 512), "-t", opt.threads, "--no-webui"], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`llama-server exited with ${child.exitCode}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { url: `${url}/v1`, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("llama-server did not start");
}

function makeRequests(count) {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i),
    messages: [{ role: "user", content: `Problem ${i}: add ${i} and ${i * 7}, then explain the steps.` }],
    n: 1,
    sampling: { temperature: 0.8, top_p: 0.95, max_tokens: maxTokens, seed: i },
  }));
}

async function measure(urls, count) {
  // completions mode with a trivial template: the random model has no chat template to apply.
  const backend = createOpenAIBackend({
    model: "bench",
    // No retries: a random model's occasional broken UTF-8 gets a deterministic 500 from
    // llama-server; it fails the same requests in both runs, which keeps them comparable.
    args: { base_url: urls.join("|"), max_concurrency: parallel, mode: "completions", max_retries: 0 },
    renderPrompt: (messages) => messages.map((m) => m.content).join("\n"),
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let tokens = 0;
  let done = 0;
  let errors = 0;
  let firstError;
  for await (const c of backend.generate(makeRequests(count))) {
    done++;
    tokens += c.completionTokens;
    if (c.finishReason === "error") {
      errors++;
      firstError ??= c.error;
    }
  }
  const wallSec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await backend.close();
  return {
    servers: urls.length, requests: done, errors, firstError, tokens, wallSec,
    tokensPerSec: tokens / wallSec, requestsPerSec: done / wallSec,
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / done,
  };
}

const model = await benchModel();
const a = await startServer(model);
const b = await startServer(model);
try {
  await measure([a.url, b.url], parallel * 2); // warm both servers
  const one = await measure([a.url], requests);
  const two = await measure([a.url, b.url], requests);
  const result = { model, maxTokens, parallel, threadsPerServer: Number(opt.threads), one, two, speedup: two.tokensPerSec / one.tokensPerSec };
  if (opt.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const r of [one, two]) {
      console.log(`${r.servers} server(s): ${r.requests} requests (${r.errors} failed${r.firstError ? `: ${r.firstError}` : ""}), ${r.tokens} tokens in ${r.wallSec.toFixed(2)} s = ` +
        `${r.tokensPerSec.toFixed(1)} tok/s, client CPU ${r.clientCpuMsPerRequest.toFixed(3)} ms/request`);
    }
    console.log(`two servers / one server: ${result.speedup.toFixed(2)}x`);
  }
} finally {
  a.child.kill();
  b.child.kill();
}
