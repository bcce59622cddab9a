#!/usr/bin/env node
// Benchmark of the openai backend against real llama-servers (the pinned llama.cpp's own):
//  - client CPU per completed request (process.cpuUsage of this process only, steady state over
//    3,000 one-token requests; target <= 2 ms),
//  - generated tokens/s with one server, then with two, and their ratio (target >= 1.8x, which
//    needs a free core per server).
// Needs `npm run build` (dist/) and `node native/build/llama-tools.mjs` (llama-server).
//   node test/bench/openai.mjs [--model X.gguf] [--requests 128] [--max-tokens 32] [--parallel 4] [--threads 1] [--json]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cacheRoot } from "../../native/build/llama-source.mjs";
import { llamaToolPath } from "../../native/build/llama-tools.mjs";

const { values: opt } = parseArgs({
  options: {
    model: { type: "string" },
    requests: { type: "string", default: "128" },
    "max-tokens": { type: "string", default: "32" },
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

/** A random-weight qwen2 model big enough that decoding, not HTTP, dominates the server's time. */
async function benchModel() {
  if (opt.model) return opt.model;
  const path = join(cacheRoot(), "models", "bench-openai-v2.gguf");
  if (existsSync(path)) return path;
  const { writeRandomModel } = await import(new URL("gguf/index.js", dist).href);
  mkdirSync(join(cacheRoot(), "models"), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeRandomModel(tmp, {
    // The real Qwen2 tokenizer: a byte-level toy vocab makes the random model emit broken UTF-8,
    // which llama-server answers with a 500.
    architecture: "qwen2", vocab: "qwen2", embeddingLength: 256, blockCount: 4,
    feedForwardLength: 768, headCount: 4, headCountKv: 2, weightType: "f16", seed: 7,
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

/** CPU seconds a process has used (Linux /proc): shows whether the servers were starved of cores. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

async function measure(servers, count, tokensEach = maxTokens) {
  const urls = servers.map((s) => s.url);
  const serverCpu0 = servers.map((s) => cpuSeconds(s.child.pid));
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
  for await (const c of backend.generate(makeRequests(count, tokensEach))) {
    done++;
    tokens += c.completionTokens;
    if (c.finishReason === "error") {
      errors++;
      firstError ??= c.error;
    }
  }
  const wallSec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const serverCpuSec = servers.reduce((sum, s, i) => sum + cpuSeconds(s.child.pid) - serverCpu0[i], 0);
  await backend.close();
  return {
    servers: urls.length, requests: done, errors, firstError, tokens, wallSec,
    tokensPerSec: tokens / wallSec, requestsPerSec: done / wallSec, serverCpuSec,
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / done,
  };
}

const model = await benchModel();
const a = await startServer(model);
const b = await startServer(model);
try {
  await measure([a, b], 300, 1); // warm both servers and the client's JIT
  // Client cost per request in the steady state: many one-token requests, so the client's own
  // work is a visible share of the run.
  const cpu = await measure([a, b], 3000, 1);
  const one = await measure([a], requests);
  const two = await measure([a, b], requests);
  const result = {
    model, maxTokens, parallel, threadsPerServer: Number(opt.threads), cores: availableParallelism(), loadavg: loadavg()[0],
    clientCpuMsPerRequest: cpu.clientCpuMsPerRequest, one, two, speedup: two.tokensPerSec / one.tokensPerSec,
  };
  if (opt.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const r of [one, two]) {
      console.log(`${r.servers} server(s): ${r.requests} requests (${r.errors} failed${r.firstError ? `: ${r.firstError}` : ""}), ${r.tokens} tokens in ${r.wallSec.toFixed(2)} s = ` +
        `${r.tokensPerSec.toFixed(1)} tok/s, client CPU ${r.clientCpuMsPerRequest.toFixed(3)} ms/request, ` +
        `servers used ${r.serverCpuSec.toFixed(1)} CPU s (${(r.serverCpuSec / r.wallSec).toFixed(2)} cores)`);
    }
    console.log(`client CPU per completed request (3,000 one-token requests, two servers): ${result.clientCpuMsPerRequest.toFixed(3)} ms`);
    console.log(`two servers / one server: ${result.speedup.toFixed(2)}x (${result.cores} cores, load average ${result.loadavg.toFixed(1)})`);
  }
} finally {
  a.child.kill();
  b.child.kill();
}
