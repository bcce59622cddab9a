import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Starts the pinned llama.cpp's own llama-server (built by `node native/build/llama-tools.mjs`,
 * which CI runs) on 127.0.0.1 and waits until it serves. Used by the integration tests and the
 * benchmark as a real OpenAI-compatible server.
 */

export interface LlamaServerOptions {
  model: string;
  /** Slots (sequences decoded together). */
  parallel?: number;
  /** KV cache tokens in all, shared by the slots. */
  ctx?: number;
  threads?: number;
  /** Use the GGUF's Jinja chat template for /chat/completions. */
  jinja?: boolean;
}

/** Tokens the server has generated so far (its Prometheus /metrics, always enabled here). */
export async function tokensPredicted(server: LlamaServer): Promise<number> {
  const text = await (await fetch(server.url.replace(/\/v1$/, "/metrics"))).text();
  const m = /^llamacpp:tokens_predicted_total\s+(\S+)/m.exec(text);
  if (!m) throw new Error(`no llamacpp:tokens_predicted_total in ${server.url} /metrics`);
  return Number(m[1]);
}

export interface LlamaServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

interface LlamaToolsModule {
  llamaToolPath(name: string): string;
}

export async function llamaServerPath(): Promise<string> {
  const tools = (await import(new URL("../../native/build/llama-tools.mjs", import.meta.url).href)) as LlamaToolsModule;
  const path = tools.llamaToolPath("llama-server");
  if (!existsSync(path)) {
    throw new Error(`llama-server is not built (${path} is missing); run \`node native/build/llama-tools.mjs\` (CI builds it)`);
  }
  return path;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", () => resolve()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export async function startLlamaServer(opts: LlamaServerOptions): Promise<LlamaServer> {
  const bin = await llamaServerPath();
  const port = await freePort();
  const args = [
    "-m", opts.model,
    "--host", "127.0.0.1",
    "--port", String(port),
    "--parallel", String(opts.parallel ?? 4),
    "-c", String(opts.ctx ?? 4096),
    "-t", String(opts.threads ?? 1),
    "--no-webui",
    "--no-warmup",
    "--metrics",
  ];
  // Raw text in `content`, as upstream reads it: random-weight models emit stray special tokens
  // that llama-server's reasoning/tool-call parser rejects with a 500.
  if (opts.jinja) args.push("--jinja", "--skip-chat-parsing");
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (c: Buffer) => {
    log = (log + c.toString("utf8")).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`llama-server exited (${child.exitCode ?? child.signalCode}) before serving:\n${log}`);
    }
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url: `${url}/v1`, process: child, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`llama-server did not become healthy within 120 s:\n${log}`);
}
