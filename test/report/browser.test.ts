import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { closeSharedPool } from "../../src/scoring/code/index.js";
import { flippedProblems, lengthBins, readRunFolder, runReport, type RunReport } from "../../src/report/index.js";
import { ensureBuilt, ROOT } from "../cli/build.js";
import { cli } from "../cli/run.js";
import { codeRun } from "./codeRun.js";
import { chatModel, mathWorkspace, reasoningRun } from "./runFolders.js";

// Debian's chromium package; no browser is downloaded. CI installs it (.ci/run), so there a
// missing binary fails the test instead of skipping it.
const CHROMIUM = process.env["SKYTHOUGHT_CHROMIUM"] ?? "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present && process.env["CI"] === "true") throw new Error(`${CHROMIUM} is missing: .ci/run must install Debian's chromium package`);
const ARTIFACTS = join(ROOT, "test", "report", "artifacts");

vi.setConfig({ testTimeout: 120_000 });

let browser: Browser;
let llamaDir: string;
let codeDir: string;
let runs: string[];
let reports: RunReport[];

beforeAll(async () => {
  if (!present) return;
  await ensureBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  // A real run: the in-process llama backend on a generated GGUF, through the CLI.
  const model = await chatModel();
  const ws = mathWorkspace(6);
  const out = join(ws.dir, "llama");
  const ev = await cli(["evaluate", "--task", "sums", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile, "--model", model,
    "--backend-args", "gpu=cpu,threads=1,max_sequences=4,n_ctx=2048", "--sampling-params", "temperature=0.8,max_tokens=24", "--n", "4",
    "--result-dir", out, "--quiet"]);
  expect(ev.code, ev.stderr).toBe(0);
  llamaDir = join(out, readdirSync(out)[0]!);
  // Two runs of one task that answer differently, for the comparison.
  runs = [await reasoningRun({ workspace: ws, seed: 1, skill: 30, errorSample: { id: "2", sample: 3 } }), await reasoningRun({ workspace: ws, seed: 7, skill: 75 })];
  reports = await Promise.all(runs.map(async (d) => runReport(await readRunFolder(d))));
  for (const args of [[llamaDir], [...runs, "-o", join(ws.dir, "compare.html")]]) {
    const r = await cli(["report", ...args]);
    expect(r.code, r.stderr).toBe(0);
  }
  runs.push(join(ws.dir, "compare.html"));
  // A code task: evaluate writes report.html itself.
  codeDir = await codeRun();
  await closeSharedPool();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a report from file:// and records console errors, page errors and every request. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("tbody.problems tr", { state: "attached" });
  return { page, errors, requests };
}

// Data marks only (role-mark): legends draw symbols too.
const marks = (page: Page, chart: string, mark: string) => page.locator(`section:visible figure[data-chart="${chart}"] g.mark-${mark}.role-mark path`).count();

describe.skipIf(!present)(`the report in a real browser (${CHROMIUM})`, () => {
  test("a real llama run's report: no error, no request, charts drawn, a sample opens", async () => {
    const { page, errors, requests } = await open(join(llamaDir, "report.html"));
    const report = runReport(await readRunFolder(llamaDir));
    expect(await marks(page, "lengths", "rect")).toBe(lengthBins(report).length);
    expect(await marks(page, "finish", "rect")).toBe(Object.keys(report.finishReasons).length);
    expect(await marks(page, "group-level", "rect")).toBe(5);
    expect(await marks(page, "group-type", "rect")).toBe(3);
    expect(await marks(page, "throughput", "area")).toBe(1);
    expect(await page.locator("tbody.problems tr").count()).toBe(6);
    await page.locator(".chip").first().click();
    await expect.poll(() => page.locator("#sample-view .why").textContent()).toBe(report.problems[0]!.samples[0]!.why);
    expect(await page.locator("#sample-view .kv").textContent()).toContain("finish reason length");
    await page.screenshot({ path: join(ARTIFACTS, "llama-run-sample.png") });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(llamaDir, "report.html")).href]);
    await page.close();
  });

  test("filters, search, the sample view and the comparison of two runs", async () => {
    const file = runs[2]!;
    const { page, errors, requests } = await open(file);
    // The comparison opens first: metrics side by side, overlaid curves, flipped problems.
    const flips = flippedProblems(reports);
    expect(flips.length).toBeGreaterThan(0);
    expect(await page.locator("#compare tr.flip").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")))).toEqual(flips.map((f) => f.id));
    expect(await page.locator('#compare figure[data-chart="k-curves"] g.mark-line.role-mark path').count()).toBe(4); // 2 runs x pass@k, maj@k
    await page.screenshot({ path: join(ARTIFACTS, "compare.png"), fullPage: true });

    await page.locator('nav.tabs button[data-target="run-0"]').click();
    const report = reports[0]!;
    const n = (p: (typeof report.problems)[number]) => p.samples.filter((s) => s.correct).length;
    expect(await marks(page, "k-curves", "line")).toBe(2);
    expect(await marks(page, "k-curves", "symbol")).toBe(report.curves.length);
    expect(await marks(page, "lengths", "rect")).toBe(lengthBins(report).length);
    expect(await marks(page, "finish", "rect")).toBe(3); // stop, length, error
    const rows = () => page.locator("section:visible tbody.problems tr").count();
    await page.locator('section:visible .filters button[data-filter="all-wrong"]').click();
    expect(await rows()).toBe(report.problems.filter((p) => n(p) === 0).length);
    await page.locator('section:visible .filters button[data-filter="errors"]').click();
    expect(await page.locator("section:visible tbody.problems tr").evaluateAll((r) => r.map((x) => x.getAttribute("data-id")))).toEqual(["2"]);
    await page.locator('section:visible .filters button[data-filter="all"]').click();
    await page.locator("section:visible input[type=search]").fill("What is 4+8");
    expect(await rows()).toBe(1);
    await page.locator("section:visible input[type=search]").fill("");
    await page.screenshot({ path: join(ARTIFACTS, "run.png"), fullPage: true });

    // A correct sample: the thinking folded, the \boxed{} answer highlighted, the verdict explained.
    const answered = (s: (typeof report.problems)[number]["samples"][number]) => s.correct === true && s.finish === "stop";
    const p = report.problems.findIndex((x) => x.samples.some(answered));
    const i = report.problems[p]!.samples.findIndex(answered);
    await page.locator(`section:visible .chip[data-problem="${report.problems[p]!.id}"][data-sample="${i}"]`).click();
    await expect.poll(() => page.locator("#sample-view mark.answer").textContent()).toBe(`\\boxed{${report.problems[p]!.gold}}`);
    expect(await page.locator("#sample-view .why").textContent()).toBe(`extracted \`${report.problems[p]!.gold}\`, gold \`${report.problems[p]!.gold}\`: equal`);
    expect(await page.locator("#sample-view details.think").getAttribute("open")).toBeNull();
    expect(await page.locator("#sample-view details.think summary").textContent()).toMatch(/^Thinking \([\d,]+ characters, folded\)$/);
    await page.locator("#sample-view details.prompt summary").click();
    expect(await page.locator("#sample-view details.prompt .msg pre").first().textContent()).toBe(`Return your final response within \\boxed{}. What is ${report.problems[p]!.id}+${Number(report.problems[p]!.id) * 2}?\nShow your work.`);
    await page.screenshot({ path: join(ARTIFACTS, "sample.png") });
    await page.keyboard.press("Escape");
    expect(await page.locator("#sample-view").isHidden()).toBe(true);

    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});

describe.skipIf(!present)("a code task's sample", () => {
  test("shows the program and each test that ran", async () => {
    const { page, errors, requests } = await open(join(codeDir, "report.html"));
    await page.locator('.chip[data-problem="0"][data-sample="1"]').click();
    await expect.poll(() => page.locator("#sample-view .why").textContent()).toBe("test 2 of 3: failed (wrong output)");
    expect(await page.locator("#sample-view .program pre").textContent()).toBe("n = int(input())\nprint(sum(map(int, input().split())) + (1 if n == 1 else 0))\n");
    // Tests run in parallel, so the third may have run before the second failed.
    const grade = readFileSync(join(codeDir, "grades.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).find((g) => g.id === "0" && g.sample === 1);
    const ran = grade.tests.results.length;
    expect(await page.locator("#sample-view .tests .title").textContent()).toBe(
      `Tests (3): ${ran - 1} passed, 1 not passed${ran < 3 ? ", 1 not run (grading stops at the first failure)" : ""}`,
    );
    expect(await page.locator("#sample-view .tests tbody tr td:nth-child(2)").allTextContents()).toEqual(["passed", "failed", "passed"].slice(0, ran));
    await page.screenshot({ path: join(ARTIFACTS, "code-sample.png") });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(codeDir, "report.html")).href]);
    await page.close();
  });
});

if (!present) test.skip(`the browser test needs ${CHROMIUM} (apt-get install chromium); CI=true fails instead of skipping`, () => {});
