import type { RunFolder } from "./runFolder.js";

/** One line of a report's header: a label and its value, both plain text. */
export type HeaderItem = [label: string, value: string];

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === "" ? undefined : String(v));

/** `k=v, k=v` as the command line takes them. */
export function keyValues(o: unknown): string {
  const entries = Object.entries(obj(o));
  return entries.length === 0 ? "(none)" : entries.map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ");
}

/** The run's sessions from run.json: when each started and ended. */
export function sessions(folder: RunFolder): { start: number; end: number | undefined }[] {
  const list = Array.isArray(folder.run?.sessions) ? (folder.run.sessions as Obj[]) : [];
  return list
    .map((s) => ({ start: Date.parse(String(s.started_at)), end: s.ended_at === undefined ? undefined : Date.parse(String(s.ended_at)) }))
    .filter((s) => Number.isFinite(s.start));
}

/**
 * The header: what ran (task, model file, backend, sampling, n, seed, versions) and how long it
 * took. Facts only run.json has are left out for upstream folders, which say so once.
 */
export function headerItems(folder: RunFolder, totals: { completionTokens: number }): HeaderItem[] {
  const config = obj(folder.summary.configuration);
  const run = folder.run;
  const model = obj(run?.model);
  const info = obj(obj(run?.backend).info);
  const items: HeaderItem[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined) items.push([label, value]);
  };
  const task = obj(run?.task);
  add("task", [str(obj(config.task).name), str(task.data_file) && `data file ${String(task.data_file)}`].filter(Boolean).join(", "));
  add("model", str(obj(config.model).name));
  add("model file", [str(model.architecture), str(model.file_type), model.parameter_count ? `${(Number(model.parameter_count) / 1e9).toFixed(2)}B parameters` : undefined].filter(Boolean).join(", ") || undefined);
  add("GGUF sha256", str(model.sha256));
  add("chat template", str(model.chat_template_sha256) && `sha256 ${String(model.chat_template_sha256).slice(0, 16)}… (${String(model.chat_template_source)})`);
  const backend = obj(config.backend);
  add("backend", `${str(backend.name) ?? "?"} (${keyValues(backend.backend_args)})`);
  const engine = obj(info.engine);
  add("engine", Object.keys(engine).length > 0 ? `${str(obj(info.gpu).variant) ?? "?"}, ${keyValues(engine)}` : undefined);
  add("sampling", keyValues(config.sampling_params));
  add("n", str(obj(config.sampling_params).n) ?? str(obj(run?.sampling).n));
  add("seed", str(run?.seed));
  const versions = obj(run?.versions);
  const llamaCpp = obj(obj(info.versions).llamaCpp);
  add("versions", [str(versions.skythought) && `skythought ${String(versions.skythought)}`, str(versions.node) && `node ${String(versions.node)}`, str(llamaCpp.tag) && `llama.cpp ${String(llamaCpp.tag)}`].filter(Boolean).join(", ") || undefined);
  add("machine", str(obj(run?.machine).cpu) && `${String(obj(run?.machine).cpu)}, ${String(obj(run?.machine).cpus)} cores`);
  addTimes(items, folder, totals);
  if (!run) items.push(["note", "run.json absent (a folder written by upstream SkyThought): model file, versions, times and finish reasons are not known"]);
  return items;
}

function addTimes(items: HeaderItem[], folder: RunFolder, totals: { completionTokens: number }): void {
  const list = sessions(folder);
  if (list.length === 0) return;
  const first = list[0]!.start;
  const ends = list.map((s) => s.end).filter((e): e is number => e !== undefined);
  const wallMs = list.reduce((a, s) => a + (s.end === undefined ? 0 : s.end - s.start), 0);
  items.push(["started", new Date(first).toISOString()]);
  if (ends.length > 0) items.push(["ended", new Date(Math.max(...ends)).toISOString()]);
  items.push(["wall time", `${formatDuration(wallMs)}${list.length > 1 ? ` in ${list.length} sessions` : ""}`]);
  if (wallMs > 0) items.push(["tokens/s", `${(totals.completionTokens / (wallMs / 1000)).toFixed(1)} completion tokens per second of wall time`]);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}
