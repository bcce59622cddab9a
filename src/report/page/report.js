// The report page's script: tabs, the problems table (filter, sort, search) and the sample view.
// It reads the JSON the report embeds and inflates a text only when its sample is opened; it
// makes no network request (the page's Content-Security-Policy forbids them anyway).

/**
 * @typedef {{ correct: boolean | null, answer: string | null, tokens: number, finish: string | null,
 *   reason: string | null, error: string | null, graderError: string | null, time: string | null, why: string }} Sample
 * @typedef {{ id: string, question: string, gold: string | null, groups: Record<string, string>, samples: Sample[] }} Problem
 * @typedef {{ name: string, n: number, cutAt: number | null, problems: Problem[] }} Run
 * @typedef {{ prompt: string, responses: string[], reasoning: (string | null)[], tests: (string | null)[] }} Texts
 * @typedef {{ results: { passed: boolean, status: string, detail: string }[], total: number }} Tests status in words: passed, failed, error, timeout...
 */

(() => {
  /** @param {string} id */
  const el = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  /** @type {{ runs: Run[] }} */
  const data = JSON.parse(el("report-data").textContent ?? "{}");
  /** @type {Map<number, Texts[]>} */
  const textCache = new Map();

  /** @param {string} s */
  const esc = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  /** The gzip'd, base64'd text, inflated with the browser's own DecompressionStream. @param {string} b64 */
  async function inflate(b64) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  /** @param {number} run */
  function texts(run) {
    let t = textCache.get(run);
    if (!t) {
      t = /** @type {Texts[]} */ (JSON.parse(el(`report-texts-${run}`).textContent ?? "[]"));
      textCache.set(run, t);
    }
    return t;
  }

  // ---- tabs ----
  const tabs = /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll("nav.tabs button")]);
  /** @param {string} target */
  function showTab(target) {
    for (const b of tabs) b.setAttribute("aria-selected", String(b.dataset.target === target));
    for (const s of document.querySelectorAll("main > section")) /** @type {HTMLElement} */ (s).hidden = s.id !== target;
  }
  for (const b of tabs) b.addEventListener("click", () => showTab(b.dataset.target ?? ""));
  if (tabs.length > 0) showTab(tabs[0]?.dataset.target ?? "");

  // ---- problems table ----
  /** @param {Problem} p */
  const correctCount = (p) => p.samples.filter((s) => s.correct === true).length;
  /** @param {Problem} p */
  const scored = (p) => p.samples.some((s) => s.correct !== null);
  /** @param {Problem} p */
  const meanTokens = (p) => p.samples.reduce((a, s) => a + s.tokens, 0) / Math.max(1, p.samples.length);
  const everything = () => true;
  /** @type {Record<string, (p: Problem) => boolean>} */
  const FILTERS = {
    all: everything,
    "all-wrong": (p) => scored(p) && correctCount(p) === 0,
    "some-right": (p) => correctCount(p) > 0 && correctCount(p) < p.samples.length,
    "all-right": (p) => p.samples.length > 0 && correctCount(p) === p.samples.length,
    errors: (p) => p.samples.some((s) => s.error !== null || s.finish === "error" || s.graderError !== null),
  };
  const resultsOrder = () => 0;
  /** @type {Record<string, (a: Problem, b: Problem) => number>} */
  const SORTS = {
    order: resultsOrder,
    "correct-asc": (a, b) => correctCount(a) / a.samples.length - correctCount(b) / b.samples.length,
    "correct-desc": (a, b) => correctCount(b) / b.samples.length - correctCount(a) / a.samples.length,
    "tokens-desc": (a, b) => meanTokens(b) - meanTokens(a),
  };

  /** @param {Sample} s */
  function chipClass(s) {
    if (s.error !== null || s.finish === "error" || s.graderError !== null) return "err";
    return s.correct === null ? "none" : s.correct ? "ok" : "bad";
  }

  /** @param {Problem} p @param {number} run */
  function chips(p, run) {
    const dense = p.samples.length > 16;
    return p.samples
      .map((s, i) => {
        const mark = s.correct === null ? "·" : s.correct ? "✔" : "✘";
        const title = `sample ${i}: ${s.why}; ${s.tokens} tokens${s.finish ? `, ${s.finish}` : ""}`;
        const label = dense ? "" : `${mark} ${esc((s.answer ?? "—").slice(0, 12))}`;
        return `<button class="chip ${chipClass(s)}${dense ? " dot" : ""}" data-run="${run}" data-problem="${esc(p.id)}" data-sample="${i}" title="${esc(title)}">${label}</button>`;
      })
      .join("");
  }

  /** @param {HTMLElement} section */
  function setUpTable(section) {
    const run = Number(section.dataset.run);
    const problems = data.runs[run]?.problems ?? [];
    const body = /** @type {HTMLElement} */ (section.querySelector("tbody.problems"));
    const count = /** @type {HTMLElement} */ (section.querySelector(".count"));
    const search = /** @type {HTMLInputElement} */ (section.querySelector("input[type=search]"));
    const sort = /** @type {HTMLSelectElement} */ (section.querySelector("select.sort"));
    const filterButtons = /** @type {HTMLButtonElement[]} */ ([...section.querySelectorAll(".filters button")]);
    let filter = "all";
    const render = () => {
      const q = search.value.trim().toLowerCase();
      const matches = (/** @type {Problem} */ p) =>
        q === "" || [p.id, p.question, p.gold ?? "", ...p.samples.map((s) => s.answer ?? "")].some((t) => t.toLowerCase().includes(q));
      const shown = problems.filter((p) => (FILTERS[filter] ?? everything)(p) && matches(p));
      shown.sort(SORTS[sort.value] ?? resultsOrder);
      body.innerHTML = shown
        .map((p) => {
          const c = correctCount(p);
          const frac = !scored(p) ? "–" : `<span class="frac${c === p.samples.length ? " all" : c === 0 ? " zero" : ""}">${c}/${p.samples.length}</span>`;
          return `<tr data-id="${esc(p.id)}"><td class="id">${esc(p.id)}</td><td class="q" title="${esc(p.question)}">${esc(p.question)}</td>` +
            `<td>${p.gold === null ? "" : `<span class="gold" title="${esc(p.gold)}">${esc(p.gold)}</span>`}</td>` +
            `<td><div class="chips">${chips(p, run)}</div></td><td class="num">${frac}</td><td class="num">${Math.round(meanTokens(p)).toLocaleString("en-US")}</td></tr>`;
        })
        .join("");
      count.textContent = `${shown.length} of ${problems.length} problems`;
    };
    for (const b of filterButtons) {
      b.addEventListener("click", () => {
        filter = b.dataset.filter ?? "all";
        for (const o of filterButtons) o.setAttribute("aria-pressed", String(o === b));
        render();
      });
    }
    search.addEventListener("input", render);
    sort.addEventListener("change", render);
    render();
  }
  for (const section of document.querySelectorAll("section.run")) setUpTable(/** @type {HTMLElement} */ (section));

  // ---- sample view ----
  const view = el("sample-view");
  const panel = /** @type {HTMLElement} */ (view.querySelector(".panel"));
  /** @type {{ run: number, problem: number, sample: number } | null} */
  let open = null;

  /**
   * The response split into its thinking (up to `</think>`) and the rest, and the span of the
   * answer in the rest: the last \boxed{...}, or else the last occurrence of the extracted answer.
   * @param {string} text @param {string | null} answer
   */
  function splitResponse(text, answer) {
    const end = text.lastIndexOf("</think>");
    const think = end >= 0 ? text.slice(0, end + "</think>".length) : null;
    const rest = end >= 0 ? text.slice(end + "</think>".length) : text;
    let at = rest.lastIndexOf("\\boxed{");
    let len = 0;
    if (at >= 0) {
      let depth = 0;
      for (let i = at + 6; i < rest.length; i++) {
        if (rest[i] === "{") depth++;
        else if (rest[i] === "}" && --depth === 0) {
          len = i + 1 - at;
          break;
        }
      }
    }
    if (len === 0 && answer) {
      at = rest.lastIndexOf(answer);
      len = at >= 0 ? answer.length : 0;
    }
    return { think, rest, at, len };
  }

  /** The last fenced code block (what a code task's scorer runs). @param {string} text */
  function lastCodeBlock(text) {
    const blocks = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)];
    return blocks.length > 0 ? blocks[blocks.length - 1]?.[1] ?? null : null;
  }

  /** @param {string} s */
  const withCutNotes = (s) => esc(s).replace(/\[… [\d,]+ characters left out here:[^\]]*\]/g, (m) => `<span class="cutnote">${m}</span>`);

  /** @param {number} run @param {number} problem @param {number} sample */
  async function openSample(run, problem, sample) {
    const r = data.runs[run];
    const p = r?.problems[problem];
    const s = p?.samples[sample];
    if (!r || !p || !s) return;
    open = { run, problem, sample };
    const t = texts(run)[problem];
    const testsBlob = t?.tests?.[sample];
    const [prompt, response, reasoning, testsJson] = await Promise.all([
      t ? inflate(t.prompt) : Promise.resolve("[]"),
      t?.responses[sample] ? inflate(t.responses[sample]) : Promise.resolve(""),
      t?.reasoning[sample] ? inflate(/** @type {string} */ (t.reasoning[sample])) : Promise.resolve(null),
      testsBlob ? inflate(testsBlob) : Promise.resolve(null),
    ]);
    /** @type {Tests | null} */
    const tests = testsJson === null ? null : JSON.parse(testsJson);
    /** @type {{ role: string, content: string }[]} */
    const messages = JSON.parse(prompt);
    const { think, rest, at, len } = splitResponse(response, s.answer);
    const answerHtml = at >= 0 && len > 0
      ? `${withCutNotes(rest.slice(0, at))}<mark class="answer">${esc(rest.slice(at, at + len))}</mark>${withCutNotes(rest.slice(at + len))}`
      : withCutNotes(rest);
    const thinking = reasoning ?? think;
    const program = p.gold === null ? lastCodeBlock(response) : null;
    const cls = chipClass(s);
    const verdict = cls === "err" ? (s.graderError !== null ? "grader error" : "generation error") : s.correct === null ? "not scored" : s.correct ? "✔ correct" : "✘ wrong";
    panel.innerHTML = `
      <div class="head"><h3>Problem ${esc(p.id)} · sample ${sample + 1} of ${p.samples.length}</h3>
        <button data-step="-1" ${sample === 0 ? "disabled" : ""}>◀ prev</button><button data-step="1" ${sample + 1 >= p.samples.length ? "disabled" : ""}>next ▶</button>
        <button data-close>close ✕</button></div>
      <p><span class="verdict ${cls}">${verdict}</span></p>
      <div class="why">${esc(s.why)}</div>
      <div class="kv"><span>finish reason <b>${esc(s.finish ?? "not recorded")}</b></span><span>completion tokens <b>${s.tokens.toLocaleString("en-US")}</b></span>
        ${s.time ? `<span>finished <b>${esc(s.time)}</b></span>` : ""}${p.gold !== null ? `<span>gold <b class="gold">${esc(p.gold)}</b></span>` : ""}</div>
      <details class="block prompt"><summary>Prompt (${messages.length} message${messages.length === 1 ? "" : "s"})</summary>
        ${messages.map((m) => `<div class="msg"><div class="role">${esc(m.role)}</div><pre class="text">${esc(m.content)}</pre></div>`).join("")}</details>
      ${thinking !== null ? `<details class="block think"><summary>Thinking (${thinking.length.toLocaleString("en-US")} characters, folded)</summary><pre class="text">${withCutNotes(thinking)}</pre></details>` : ""}
      ${program !== null ? `<div class="block program"><div class="title">Program (the last code block, which the scorer ran)</div><pre class="text">${esc(program)}</pre></div>` : ""}
      ${tests !== null ? testsBlock(tests) : ""}
      <div class="block response"><div class="title">${thinking !== null ? "Answer" : "Response"}</div><pre class="text">${answerHtml || '<span class="note">(empty)</span>'}</pre></div>`;
    view.hidden = false;
    panel.scrollTop = 0;
  }

  /** The tests a code response ran, one row each; those after the first failure did not run. @param {Tests} tests */
  function testsBlock(tests) {
    const rows = tests.results
      .map((r, i) => `<tr><td class="num">${i + 1}</td><td><span class="chip ${r.passed ? "ok" : r.status === "failed" ? "bad" : "err"} static">${esc(r.status)}</span></td><td><code>${esc(r.detail)}</code></td></tr>`)
      .join("");
    const notRun = tests.total - tests.results.length;
    const passed = tests.results.filter((r) => r.passed).length;
    const counts = [`${passed} passed`, ...(passed < tests.results.length ? [`${tests.results.length - passed} not passed`] : []), ...(notRun > 0 ? [`${notRun} not run (grading stops at the first failure)`] : [])];
    return `<div class="block tests"><div class="title">Tests (${tests.total}): ${counts.join(", ")}</div>` +
      `<table class="grid tests"><thead><tr><th>#</th><th>result</th><th>detail (the last line of stderr, or how the output differs)</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }

  function closeSample() {
    view.hidden = true;
    open = null;
  }

  document.addEventListener("click", (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const chip = /** @type {HTMLElement | null} */ (target.closest(".chip[data-run]"));
    if (chip) {
      const run = Number(chip.dataset.run);
      const id = chip.dataset.problem;
      const problem = data.runs[run]?.problems.findIndex((p) => p.id === id) ?? -1;
      if (problem >= 0) void openSample(run, problem, Number(chip.dataset.sample ?? 0));
      return;
    }
    if (target.closest("[data-close]") || target === view) closeSample();
    const step = /** @type {HTMLElement | null} */ (target.closest("[data-step]"));
    if (step && open) void openSample(open.run, open.problem, open.sample + Number(step.dataset.step));
  });
  document.addEventListener("keydown", (e) => {
    if (!open) return;
    if (e.key === "Escape") closeSample();
    else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      const next = open.sample + (e.key === "ArrowRight" ? 1 : -1);
      if (next >= 0 && next < (data.runs[open.run]?.problems[open.problem]?.samples.length ?? 0)) void openSample(open.run, open.problem, next);
    }
  });
})();
