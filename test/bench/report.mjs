// The report's size budget: a 30-problem, n=64 run of ~31k-character reasoning responses (about
// 60 MB of text, as a 32k-token AIME run) made through the real pipeline, then
// `skythought report` on it, then the page opened in Debian's chromium. Run after `npm run build`:
//   node test/bench/report.mjs [problems] [n] [charsPerResponse]
// Prints one JSON line: text MB, results.json MB, report MB, seconds to build the report, seconds
// until the page's table is drawn, seconds to open the longest sample (wall; noisy on a shared machine).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { evaluate } from "../../dist/index.js";
import { buildReport } from "../../dist/report/index.js";

const [problems, n, chars] = [Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 64), Number(process.argv[4] ?? 31_000)];

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const WORDS = ("so we need to check whether the sum of the squares is divisible by seven wait let me reconsider the case where n is odd " +
  "then x^2 + y^2 = 2xy + (x-y)^2 which means the constraint holds and the answer follows by substituting back into the equation " +
  "hmm that does not look right because the denominator vanishes at x = 3 so we split into cases and count again carefully").split(" ");
const reasoning = (length) => {
  const out = [];
  let size = 0;
  while (size < length) {
    const w = rand() < 0.1 ? String(Math.floor(rand() * 1000)) : WORDS[Math.floor(rand() * WORDS.length)];
    out.push(w);
    size += w.length + 1;
  }
  return out.join(" ");
};

const backend = {
  async *generate(requests) {
    for (const r of requests) {
      for (let i = 0; i < r.n; i++) {
        const answer = rand() < 0.5 ? 7 : 8;
        const text = `<think>\n${reasoning(chars)}\n</think>\nThe answer is \\boxed{${answer}}.`;
        yield { requestId: r.id, sampleIndex: i, text, finishReason: "stop", promptTokens: 40, completionTokens: Math.round(text.length / 4) };
      }
    }
  },
  async close() {},
};

const dir = mkdtempSync(join(tmpdir(), "skythought-report-bench-"));
writeFileSync(join(dir, "sums.yaml"), 'handler: math\ndataset_path: local/sums\nquestion_key: problem\nanswer_key: answer\ntemplating_parameters:\n  template: "{problem}"\n');
writeFileSync(join(dir, "rows.jsonl"), Array.from({ length: problems }, (_, i) => JSON.stringify({ problem: `Problem ${i}`, answer: "7" })).join("\n") + "\n");
const run = await evaluate({ task: "sums", tasksDir: dir, dataFile: join(dir, "rows.jsonl"), model: "bench/long", backend, n, samplingParams: "temperature=0.6,max_tokens=32768", resultDir: dir });

let t = performance.now();
const html = await buildReport([run.runDir]);
const buildSec = (performance.now() - t) / 1000;
const file = join(run.runDir, "report.html");
writeFileSync(file, html);

const browser = await chromium.launch({
  executablePath: process.env.SKYTHOUGHT_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
t = performance.now();
await page.goto(pathToFileURL(file).href);
await page.waitForSelector("tbody.problems tr");
const openSec = (performance.now() - t) / 1000;
t = performance.now();
await page.locator(".chip").last().click();
await page.waitForSelector("#sample-view mark.answer");
const sampleSec = (performance.now() - t) / 1000;
await browser.close();

const results = JSON.parse(readFileSync(join(run.runDir, "results.json"), "utf8"));
const textBytes = Object.values(results).reduce((a, r) => a + r.responses.reduce((b, x) => b + Buffer.byteLength(x.content), 0), 0);
const mb = (b) => Number((b / 1e6).toFixed(1));
console.log(JSON.stringify({
  problems, n, textMB: mb(textBytes), resultsJsonMB: mb(statSync(join(run.runDir, "results.json")).size), reportMB: mb(Buffer.byteLength(html)),
  buildSec: Number(buildSec.toFixed(2)), pageReadySec: Number(openSec.toFixed(2)), openSampleSec: Number(sampleSec.toFixed(2)),
}));
