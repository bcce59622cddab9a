import { join } from "node:path";
import { writeReport } from "../report/index.js";
import type { PipelineEvent } from "./options.js";

/**
 * Writes RUN_DIR/report.html at the end of evaluate or score and returns its path. The run's own
 * files are already written, so a report that cannot be made is a warning, not a failed run.
 */
export async function writeRunReport(runDir: string, emit: (e: PipelineEvent) => void): Promise<{ report?: string }> {
  const out = join(runDir, "report.html");
  try {
    await writeReport([runDir], out);
    return { report: out };
  } catch (e) {
    emit({ type: "warning", message: `${out} not written: ${(e as Error).message}; the run's files are complete, run \`skythought report ${runDir}\` to make it` });
    return {};
  }
}
