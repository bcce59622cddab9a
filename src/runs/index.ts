/** Run folders: hash and name, the store (samples.jsonl, run.json, results.json, summary.json) and its lock, records and metrics. */
export { runConfigDigest, runFolderName } from "./runHash.js";
export { RunStore } from "./runStore.js";
export type { ExistingRun } from "./existingRun.js";
export { readSamples, sampleKey, type SampleLine } from "./samplesFile.js";
export { buildRecord, buildSummary, type Problem, type ResultRecord } from "./results.js";
export { accuracy, passAtK, passAtKOne, majAtK, tokenStats, finishReasonCounts } from "./metrics.js";
// Read-only access for reports, which read a folder without taking its lock.
export { readResultFiles } from "./resultFiles.js";
export { readRunJson } from "./runJson.js";
export { readGrades, type GradeLine, type TestCaseResult } from "./gradesFile.js";
