/** Run folders: hash and name, the store (samples.jsonl, run.json, results.json, summary.json), its lock, metrics. */
export { runConfigDigest, runFolderName } from "./runHash.js";
export { RunStore, RUN_FILES, type RunIdentity, type RunRecord } from "./runStore.js";
export { FolderLock } from "./folderLock.js";
export { readSamples, sampleKey, type SampleLine } from "./samplesFile.js";
export { buildRecord, buildSummary, type Problem, type ResultRecord, type ResponseEntry } from "./results.js";
export { accuracy, passAtK, majAtK, tokenStats, finishReasonCounts } from "./metrics.js";
export { readRunFiles, writeScoredRun } from "./runFiles.js";
