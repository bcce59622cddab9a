import { arch, cpus, hostname, platform, release, totalmem } from "node:os";
import type { Backend } from "../backends/index.js";
import { packageVersion } from "../packageVersion.js";
import { toPlain } from "../py/index.js";
import type { RunContext } from "./runContext.js";

/**
 * run.json's facts about this session (RunStore adds version, status, config and sessions): task
 * (and the data file's sha256), model (GGUF sha256 and metadata), backend and what it reported,
 * sampling (and what the run overrode), the code sandbox, seeds, versions, machine.
 */
export function runRecord(ctx: RunContext, backend: Backend | undefined): Record<string, unknown> {
  // By reference: what the backend learns while it generates (the llama backend's KV sizing, the
  // model-context limit it met, its preemptions) is in run.json when the session ends.
  const info = (backend as { info?: unknown } | undefined)?.info;
  const { input: o, plan } = ctx;
  return {
    command: ctx.command,
    task: {
      name: ctx.task.name, file: ctx.task.file, data_file: ctx.dataFile?.path ?? null, data_file_sha256: ctx.dataFile?.sha256 ?? null,
      problems: plan.problems.length, as_test: o.asTest,
    },
    model: ctx.model.record,
    backend: { name: ctx.backend.name, args: toPlain(ctx.backend.args), ...(info !== undefined ? { info } : {}) },
    sampling: {
      params: toPlain(ctx.samplingDict), effective: plan.sampling, n: plan.n,
      ...(Object.keys(ctx.overridden).length > 0 ? { overridden: ctx.overridden } : {}),
    },
    ...(ctx.sandbox !== undefined ? { sandbox: ctx.sandbox } : {}),
    seeds: { seed: o.seed, base: plan.seed, request_seed: "xxh32('<base>/<_index>', 0)", sample_seed: "engine: (request seed, sample index)" },
    versions: { node: process.version, skythought: packageVersion() },
    machine: machine(),
  };
}

function machine(): Record<string, unknown> {
  return { platform: platform(), release: release(), arch: arch(), cpu: cpus()[0]?.model ?? "unknown", cpus: cpus().length, memory_bytes: totalmem(), hostname: hostname() };
}
