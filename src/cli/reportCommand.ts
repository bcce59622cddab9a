import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { buildReport, writeReport, type ReportFormat } from "../report/index.js";

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
