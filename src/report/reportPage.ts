import { readFileSync } from "node:fs";
import type { FlippedProblem } from "./compare.js";
import type { HeaderItem } from "./header.js";
import { REPORT_CSS } from "./page/styles.js";
import type { RunReport } from "./runReport.js";
import type { TextsOutcome } from "./textBlobs.js";

/** A chart as drawn (SVG), or the reason it is not drawn. */
export interface ChartFigure {
  key: string;
  svg: string | null;
  note?: string;
}

export interface PageInput {
  runs: { report: RunReport; charts: ChartFigure[]; texts: TextsOutcome }[];
  compare: { charts: ChartFigure[]; flipped: FlippedProblem[] } | null;
  generatedAt: string;
  version: string;
}

// The browser script, read once: beside this module in src/ (tests) and in dist/ (tsc copies it).
// Its source-map comment would point at a file the page does not have.
const SCRIPT = readFileSync(new URL("./page/report.js", import.meta.url), "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");

/** No request of any kind: the page is one file, for file://, offline use and Electron windows. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON inside a <script> element: `<` escaped so no text can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

/** The whole self-contained page: style, charts as inline SVG, data as JSON, script inline. */
export function reportPage(input: PageInput): string {
  const several = input.runs.length > 1;
  const title = several ? `${input.runs[0]!.report.task}: ${input.runs.length} runs compared` : `${input.runs[0]!.report.task}: ${input.runs[0]!.report.name}`;
  const tabs = [
    ...(input.compare ? [`<button data-target="compare">Compare</button>`] : []),
    ...input.runs.map((r, i) => `<button data-target="run-${i}" title="${esc(r.report.name)}">${esc(several ? `${i + 1}. ${r.report.name}` : r.report.name)}</button>`),
  ];
  const data = {
    runs: input.runs.map(({ report, texts }) => ({ name: report.name, n: report.n, cutAt: texts.cutAt, problems: report.problems })),
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="skythought ${esc(input.version)}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head><body>
<header class="top"><div class="brand">skythought <span>report</span></div><nav class="tabs">${tabs.join("")}</nav></header>
<main>
${input.compare ? compareSection(input) : ""}
${input.runs.map((r, i) => runSection(r.report, r.charts, r.texts, i)).join("\n")}
<p class="note">Made ${esc(input.generatedAt)} by skythought ${esc(input.version)} from the run folder files (results.json, summary.json, run.json, samples.jsonl).</p>
</main>
<div id="sample-view" hidden><div class="panel"></div></div>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
${input.runs.map((r, i) => `<script type="application/json" id="report-texts-${i}">${scriptJson(r.texts.problems)}</script>`).join("\n")}
<script type="module">${SCRIPT}</script>
</body></html>
`;
}

function runSection(report: RunReport, charts: ChartFigure[], texts: TextsOutcome, index: number): string {
  const cut = texts.cut > 0
    ? `<p class="warn">${texts.cut} long responses are shortened in this file to ${texts.cutAt?.toLocaleString("en-US")} characters each (beginning and end kept) to stay within the report's text budget; results.json has them whole.</p>`
    : "";
  return `<section class="run" id="run-${index}" data-run="${index}">
<h1>${esc(report.task)} · ${esc(modelName(report.header))}</h1>
<p class="sub">${esc(report.dir)}</p>
<div class="cards">${report.metrics.map((m) => `<div class="card"${m.hint ? ` title="${esc(m.hint)}"` : ""}><div class="label">${esc(m.label)}</div><div class="value">${esc(m.value)}</div></div>`).join("")}</div>
<details class="facts" open><summary>Run</summary><dl class="facts">${report.header.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl></details>
${cut}
<div class="charts">${charts.map(figure).join("")}</div>
<h2>Problems</h2>
<div class="toolbar">
<div class="filters">${FILTERS.map(([key, label], i) => `<button data-filter="${key}" aria-pressed="${i === 0}">${label}</button>`).join("")}</div>
<input type="search" placeholder="search id, question, gold, answers" aria-label="search problems">
<select class="sort" aria-label="sort problems"><option value="order">results.json order</option><option value="correct-asc">fewest correct first</option><option value="correct-desc">most correct first</option><option value="tokens-desc">longest first</option></select>
<span class="count"></span>
</div>
<table class="grid"><thead><tr><th>id</th><th>question</th><th>gold</th><th>samples (click one to open it)</th><th>correct</th><th>tokens</th></tr></thead><tbody class="problems"></tbody></table>
</section>`;
}

const FILTERS: [string, string][] = [["all", "all"], ["all-wrong", "all wrong"], ["some-right", "some right"], ["all-right", "all right"], ["errors", "has errors"]];

function compareSection(input: PageInput): string {
  const runs = input.runs.map((r) => r.report);
  const labels = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.label)))];
  const metricRows = labels
    .map((label) => `<tr><td>${esc(label)}</td>${runs.map((r) => `<td class="num">${esc(r.metrics.find((m) => m.label === label)?.value ?? "–")}</td>`).join("")}</tr>`)
    .join("");
  const head = runs.map((r, i) => `<th title="${esc(r.dir)}">${i + 1}. ${esc(r.name)}</th>`).join("");
  const flipped = input.compare!.flipped;
  const flipRows = flipped
    .map((f) => {
      const cells = f.correct.map((c, i) =>
        c === null
          ? `<td class="num">–</td>`
          : `<td class="num"><button class="chip ${c > 0 ? "ok" : "bad"}" data-run="${i}" data-problem="${esc(f.id)}" data-sample="${Math.max(0, runs[i]!.problems.find((p) => p.id === f.id)?.samples.findIndex((s) => s.correct === true) ?? 0)}">${c}/${f.n[i]}</button></td>`,
      );
      return `<tr class="flip" data-id="${esc(f.id)}"><td class="id">${esc(f.id)}</td><td class="q" title="${esc(f.question)}">${esc(f.question)}</td>${cells.join("")}</tr>`;
    })
    .join("");
  return `<section class="compare" id="compare">
<h1>${esc(runs[0]!.task)}: ${runs.length} runs compared</h1>
<h2>Metrics</h2>
<table class="grid metrics"><thead><tr><th></th>${head}</tr></thead><tbody>${metricRows}</tbody></table>
<div class="charts">${input.compare!.charts.map(figure).join("")}</div>
<h2>Flipped problems <span class="note">(${flipped.length}: solved by at least one response of some runs and by none of another)</span></h2>
${flipped.length === 0 ? `<p class="note">No problem is solved by one run and missed by another.</p>` : `<table class="grid flipped"><thead><tr><th>id</th><th>question</th>${head}</tr></thead><tbody>${flipRows}</tbody></table>`}
</section>`;
}

function figure(c: ChartFigure): string {
  return c.svg === null ? `<figure class="chart empty" data-chart="${c.key}">${esc(c.note ?? "")}</figure>` : `<figure class="chart" data-chart="${c.key}">${c.svg}</figure>`;
}

function modelName(header: HeaderItem[]): string {
  return header.find(([k]) => k === "model")?.[1] ?? "";
}
