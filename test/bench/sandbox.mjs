#!/usr/bin/env node
// 1,000 executions of a trivial program through the sandbox pool (target: <= 30 s on the two-core
// dev machine). Needs the build: `npm run build && node test/bench/sandbox.mjs [count] [--json]`.
import { availableParallelism, loadavg } from "node:os";
import { closeSharedPool, runPython, sandboxLauncher, sharedPool } from "../../dist/scoring/code/index.js";

const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
const launcher = await sandboxLauncher();
await Promise.all(Array.from({ length: sharedPool().size }, () => runPython("pass"))); // start the zygotes

const started = performance.now();
const results = await Promise.all(Array.from({ length: count }, (_, i) => runPython(`print(${i} * 2)`)));
const wallSec = (performance.now() - started) / 1000;
closeSharedPool();

const bad = results.filter((r, i) => r.status !== "ok" || r.stdout !== `${i * 2}\n`).length;
const report = {
  executions: count,
  sandbox: launcher.kind,
  slots: sharedPool().size,
  cores: availableParallelism(),
  wallSec: Number(wallSec.toFixed(2)),
  perSecond: Number((count / wallSec).toFixed(1)),
  failures: bad,
  loadAverage1m: Number(loadavg()[0].toFixed(2)),
};
console.log(process.argv.includes("--json") ? JSON.stringify(report) : report);
if (bad > 0) process.exitCode = 1;
