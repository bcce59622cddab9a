/** Run folders: hash and name, samples.jsonl + run.json store, results/summary files, metrics, scoring. */
export { runConfigDigest, runFolderName } from "./runHash.js";
export { RunStore, RUN_FILES, type RunIdentity, type RunRecord } from "./runStore.js";
export { FolderLock } from "./folderLock.js";
export { readSamples, sampleKey, type SampleLine } from "./samplesFile.js";
export { generateSamples, missingSamples, requestSeeds, type GenerationPlan } from "./generation.js";
export { buildRecord, buildSummary, pyStrip, type Problem, type ResultRecord, type ResponseEntry } from "./results.js";
export { scoreRecords } from "./scoring.js";
export { extraMetrics, upstreamScores } from "./runMetrics.js";
export { accuracy, passAtK, majAtK, tokenStats, finishReasonCounts } from "./metrics.js";
export { readRunFiles, writeScoredRun } from "./runFiles.js";
export { pythonJson, floatRepr } from "./pythonJson.js";
export { parsePythonJson } from "./pythonJsonParse.js";
export { fileSha256 } from "./fileSha256.js";
