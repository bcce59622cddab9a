import type { TopLevelSpec } from "vega-lite";
import { ConfigError, RunError } from "../errors.js";
import { finishReasonChart, groupAccuracyChart, kCurveChart, lengthChart, throughputChart } from "./charts.js";
import { checkComparable, flippedProblems } from "./compare.js";
import { reportMarkdown } from "./markdown.js";
import { GROUP_COLUMNS } from "./problems.js";
import { renderChart } from "./renderChart.js";
import { reportPage, type ChartFigure } from "./reportPage.js";
import { readRunFolder } from "./runFolder.js";
import { runReport, type RunReport } from "./runReport.js";
import { compressTexts, TEXT_BUDGET } from "./textBlobs.js";
import { packageVersion } from "../packageVersion.js";
import { writeFileAtomic } from "../writeFileAtomic.js";

export type ReportFormat = "html" | "md";

export interface ReportOptions {
  format?: ReportFormat;
  /** Characters of response text kept whole (TEXT_BUDGET); above it the longest responses are cut. */
  textBudget?: number;
}

/**
 * The report of one or more run folders as one string: a self-contained HTML page, or a short
 * Markdown summary. Two or more folders must be runs of one task; the page then opens on a
 * comparison. Reads only the folders' files, so upstream's folders work too.
 */
export async function buildReport(runDirs: readonly string[], opts: ReportOptions = {}): Promise<string> {
  if (runDirs.length === 0) throw new ConfigError("report: pass at least one run folder");
  const folders = await Promise.all(runDirs.map((d) => readRunFolder(d)));
  const reports = folders.map(runReport);
  if (reports.length > 1) checkComparable(reports);
  if (opts.format === "md") return reportMarkdown(reports, reports.length > 1 ? flippedProblems(reports) : []);
  const runs = await Promise.all(
    folders.map(async (folder, i) => ({
      report: reports[i]!,
      charts: await runCharts(reports[i]!, `r${i}-`),
      texts: await compressTexts(folder, opts.textBudget ?? TEXT_BUDGET),
    })),
  );
  const compare = reports.length > 1
    ? { charts: [await figure("k-curves", kCurveChart(reports.map((r) => ({ name: r.name, curves: r.curves }))), "cmp-")], flipped: flippedProblems(reports) }
    : null;
  return reportPage({ runs, compare, generatedAt: new Date().toISOString(), version: packageVersion() });
}

/** Writes the report of `runDirs` to `out` (whole or not at all: a browser never opens half a file). */
export async function writeReport(runDirs: readonly string[], out: string, opts: ReportOptions = {}): Promise<{ out: string; bytes: number }> {
  const text = await buildReport(runDirs, opts);
  await writeFileAtomic(out, text).catch((e: unknown) => {
    throw new RunError(`cannot write the report to ${out}: ${(e as Error).message}; choose another -o`);
  });
  return { out, bytes: Buffer.byteLength(text) };
}

async function runCharts(report: RunReport, prefix: string): Promise<ChartFigure[]> {
  const charts: ChartFigure[] = [];
  const scored = report.curves.length > 0;
  charts.push(
    report.n > 1 && scored
      ? await figure("k-curves", kCurveChart([{ name: report.name, curves: report.curves }]), prefix)
      : { key: "k-curves", svg: null, note: report.n <= 1 ? "pass@k needs n > 1 samples per problem; this run has n = 1 (pass@1 is the accuracy)." : "Not scored: run `skythought score` on the folder for pass@k." },
  );
  charts.push(await figure("lengths", lengthChart(report), prefix));
  charts.push(
    Object.keys(report.finishReasons).length > 0
      ? await figure("finish", finishReasonChart(report), prefix)
      : { key: "finish", svg: null, note: "Finish reasons are not recorded in this folder (no samples.jsonl: a run made by upstream SkyThought)." },
  );
  for (const column of GROUP_COLUMNS) {
    if (report.problems.some((p) => p.groups[column] !== undefined)) charts.push(await figure(`group-${column}`, groupAccuracyChart(report, column), prefix));
  }
  charts.push(
    report.throughput.length > 0
      ? await figure("throughput", throughputChart(report), prefix)
      : { key: "throughput", svg: null, note: "Throughput needs the samples' finish times (samples.jsonl with run.json sessions), which this folder lacks." },
  );
  return charts;
}

async function figure(key: string, spec: TopLevelSpec, prefix: string): Promise<ChartFigure> {
  return { key, svg: await renderChart(spec, `${prefix}${key}-`) };
}
