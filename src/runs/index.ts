/** Run folders: hash and name, the store (samples.jsonl, run.json, results.json, summary.json) and its lock, records and metrics. */
export { runConfigDigest, runFolderName } from "./runHash.js";
export { RunStore } from "./runStore.js";
export type { ExistingRun } from "./existingRun.js";
export { sampleKey, type SampleLine } from "./samplesFile.js";
export { buildRecord, buildSummary, type Problem, type ResultRecord } from "./results.js";
export { accuracy, passAtK, majAtK, tokenStats, finishReasonCounts } from "./metrics.js";
