import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { buildReport, writeReport, type ReportFormat } from "../report/index.js";

/**
 * Writes RUN_DIR/report.html at the end of evaluate or score and returns its path. The run's own
 * files are already written, so a report that cannot be made is a warning, not a failed run.
 */
export async function writeRunReport(runDir: string): Promise<string | undefined> {
  const out = join(runDir, "report.html");
  try {
    await writeReport([runDir], out);
    return out;
  } catch (e) {
    process.stderr.write(`warning: ${out} not written: ${(e as Error).message}; the run's files are complete, rerun \`skythought report ${runDir}\` to make it\n`);
    return undefined;
  }
}

interface ReportCliOptions {
  output?: string;
  format: ReportFormat;
}

/**
 * `skythought report RUN_DIR [RUN_DIR...]`: one HTML page of a run (or of runs of one task,
 * compared), or a Markdown summary. Without -o, HTML goes to RUN_DIR/report.html for one run and
 * to ./report.html for several; Markdown goes to stdout.
 */
export function reportCommand(): Command {
  return new Command("report")
    .description("Make a self-contained HTML report (plots, problems, samples) of run folders, comparing them when there are several")
    .argument("<run-dir...>", "run folders (each holds results.json and summary.json); two or more must be runs of one task")
    .option("-o, --output <file>", "where to write the report (HTML default: RUN_DIR/report.html for one run, ./report.html for several; Markdown default: stdout)")
    .addOption(new Option("--format <format>", "html: the page; md: a short Markdown summary (metrics and pass@k tables)").choices(["html", "md"]).default("html"))
    .action(async (runDirs: string[], o: ReportCliOptions) => {
      if (o.format === "md" && o.output === undefined) {
        process.stdout.write(await buildReport(runDirs, { format: "md" }));
        return;
      }
      const out = resolve(o.output ?? (runDirs.length === 1 ? join(runDirs[0]!, "report.html") : "report.html"));
      const { bytes } = await writeReport(runDirs, out, { format: o.format });
      process.stderr.write(`wrote ${out} (${(bytes / 1e6).toFixed(1)} MB)\n`);
    });
}
