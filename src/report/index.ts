/**
 * Reports: one self-contained HTML page (or a Markdown summary) of one run folder, or of several
 * runs of one task compared, made from the folders' files alone.
 */
export { buildReport, writeReport, type ReportFormat, type ReportOptions } from "./buildReport.js";
export { readRunFolder, type RunFolder } from "./runFolder.js";
export { runReport, type RunReport, type MetricItem } from "./runReport.js";
export { flippedProblems, type FlippedProblem } from "./compare.js";
export { lengthBins, type LengthBin } from "./charts.js";
export { cutMiddle, lengthCap, TEXT_BUDGET } from "./textBlobs.js";
export { verdictWhy, type ProblemFacts, type SampleFacts } from "./problems.js";
export type { CurvePoint } from "./curves.js";
