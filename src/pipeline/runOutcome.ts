/** What evaluate, generate and score return. */
export interface RunOutcome {
  runDir: string;
  /** summary.json's content. */
  summary: Record<string, unknown>;
  /** Our metrics (also in run.json). */
  metrics: Record<string, unknown>;
  /** Samples generated in this call (0 when everything was already done). */
  generatedSamples: number;
  /** The report.html written into the run folder (evaluate and score, unless `report: false`). */
  report?: string;
}
