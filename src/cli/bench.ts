import { Command, InvalidArgumentError, Option } from "commander";
import { LlamaModel, runBenchmarkCase, type BenchmarkResult, type GpuRequest, type KvType } from "../engine/index.js";
import type { SamplingParams } from "../sampling/index.js";

interface BenchOptions {
  model: string;
  parallel: number[];
  promptTokens: number;
  maxTokens: number;
  nSamples: number;
  threads?: number;
  nBatch: number;
  kvType: KvType;
  flashAttn: "auto" | "on" | "off";
  gpu: GpuRequest;
  repeat: number;
  json: boolean;
  temperature: number;
  deterministic: boolean;
  topP?: number;
  topK?: number;
  minP?: number;
}

/** A row of `skythought bench --json`: DESIGN.md's fields first, then memory. */
export type BenchRow = BenchmarkResult & { rssMb: number; engineOverheadMb: number };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("must be a number in [0, 1]");
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("must be a number >= 0");
  return n;
}

function intList(value: string): number[] {
  return value.split(",").map((v) => positiveInt(v.trim()));
}

/** `skythought bench`: engine throughput on a fixed synthetic workload (greedy unless told, exact lengths). */
export function benchCommand(): Command {
  return new Command("bench")
    .description("measure prefill and decode throughput of the in-process engine on a GGUF model")
    .requiredOption("--model <path>", "GGUF model file")
    .option("--parallel <list>", "sequences decoded together, one run per value", intList, [1, 4, 16])
    .option("--prompt-tokens <n>", "prompt length in tokens", positiveInt, 32)
    .option("--max-tokens <n>", "new tokens per sequence", positiveInt, 64)
    .option("--n-samples <n>", "samples per prompt (they share one prefill)", positiveInt, 1)
    .option("--threads <n>", "CPU threads (default: all)", positiveInt)
    .option("--n-batch <n>", "tokens per decode call", positiveInt, 512)
    .addOption(new Option("--kv-type <type>", "KV cache type").choices(["f32", "f16", "bf16", "q8_0"]).default("f16"))
    .addOption(new Option("--flash-attn <mode>", "flash attention").choices(["auto", "on", "off"]).default("auto"))
    .addOption(new Option("--gpu <which>", "llama.cpp build to use").choices(["auto", "cuda", "vulkan", "metal", "cpu"]).default("auto"))
    .option("--temperature <t>", "sample instead of greedy decoding (0: greedy)", nonNegative, 0)
    .option("--top-p <p>", "top-p with --temperature", fraction)
    .option("--top-k <k>", "top-k with --temperature", positiveInt)
    .option("--min-p <p>", "min-p with --temperature", fraction)
    .option("--deterministic", "batch-invariant decoding (weights not repacked; see docs/performance.md)", false)
    .option("--repeat <n>", "runs per case; the fastest prefill and the fastest decode are kept (noisy machines)", positiveInt, 1)
    .option("--json", "print a JSON array instead of a table", false)
    .action(async (opts: BenchOptions) => {
      const rows = await runBench(opts);
      process.stdout.write(opts.json ? JSON.stringify(rows, null, 2) + "\n" : table(rows));
    });
}

async function runBench(o: BenchOptions): Promise<BenchRow[]> {
  const rssBefore = process.memoryUsage().rss;
  const model = await LlamaModel.load(o.model, { gpu: o.gpu, repackWeights: !o.deterministic, onLog: (m) => process.stderr.write(m + "\n") });
  const maxSequences = Math.max(...o.parallel) * o.nSamples;
  const engine = await model.createEngine({
    maxSequences,
    // Deterministic mode keeps one more cell per sequence.
    nCtx: maxSequences * (o.promptTokens + o.maxTokens + 2),
    nBatch: o.nBatch,
    kvType: o.kvType,
    flashAttn: o.flashAttn,
    deterministic: o.deterministic,
    ...(o.threads ? { threads: o.threads } : {}),
  });
  const sampling: Partial<SamplingParams> = { temperature: o.temperature, top_p: o.topP, top_k: o.topK, min_p: o.minP };
  const rows: BenchRow[] = [];
  try {
    // Warm-up: first-use costs (page faults on the weights, thread start) stay out of the numbers.
    await runBenchmarkCase(model, engine, { parallel: 1, promptTokens: Math.min(o.promptTokens, 8), maxTokens: 2, nSamples: 1 });
    for (const parallel of o.parallel) {
      let best: BenchmarkResult | undefined;
      for (let r = 0; r < o.repeat; r++) {
        const res = await runBenchmarkCase(model, engine, { parallel, promptTokens: o.promptTokens, maxTokens: o.maxTokens, nSamples: o.nSamples, sampling });
        best = best ? bestOf(best, res) : res;
      }
      const rss = process.memoryUsage().rss;
      const overhead = rss - rssBefore - model.metadata.sizeBytes - engine.info.kvCacheBytes;
      rows.push({ ...best!, rssMb: mb(rss), engineOverheadMb: mb(overhead) });
    }
  } finally {
    await model.close();
  }
  return rows;
}

/** Best of two runs, phase by phase: on a shared machine the slowest runs measure the neighbours. */
function bestOf(a: BenchmarkResult, b: BenchmarkResult): BenchmarkResult {
  const prefill = a.prefillSec <= b.prefillSec ? a : b;
  const decode = a.decodeTokensPerSec >= b.decodeTokensPerSec ? a : b;
  return {
    ...decode,
    prefillTokensPerSec: prefill.prefillTokensPerSec,
    prefillSec: prefill.prefillSec,
    wallSec: Math.min(a.wallSec, b.wallSec),
  };
}

function mb(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

function table(rows: BenchRow[]): string {
  const head = ["parallel", "n", "prompt", "new", "prefill t/s", "decode t/s", "wall s", "RSS MB", "overhead MB"];
  const lines = rows.map((r) => [r.parallel, r.nSamples, r.promptTokens, r.maxTokens, r.prefillTokensPerSec.toFixed(1), r.decodeTokensPerSec.toFixed(1), r.wallSec.toFixed(2), r.rssMb, r.engineOverheadMb].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ") + "\n";
  return fmt(head) + lines.map(fmt).join("");
}
