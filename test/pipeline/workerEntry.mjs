// Runs a whole evaluation inside a worker thread through the package's public entry point
// (self-reference "skythought" -> dist/index.js), the way an Electron app would embed it.
import { parentPort, workerData } from "node:worker_threads";
import { evaluate } from "skythought";

const events = [];
try {
  const out = await evaluate({ ...workerData, onEvent: (e) => events.push(e.type) });
  parentPort.postMessage({ ok: true, runDir: out.runDir, accuracy: out.metrics.accuracy, events: [...new Set(events)] });
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e?.message ?? e) });
}
