/** The report page's style sheet (inlined: the file must open with no other file beside it). */
export const REPORT_CSS = `
:root { --fg: #1d232b; --muted: #5f6b7a; --line: #e3e7ec; --bg: #f6f7f9; --card: #fff; --ok: #2f9e5b; --bad: #d1495b;
  --none: #9aa5b1; --err: #b7791f; --accent: #3b6fb6; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 20px; padding: 10px 24px;
  background: #1f2937; color: #fff; }
header.top .brand { font-weight: 700; letter-spacing: .02em; }
header.top .brand span { color: #9ca3af; font-weight: 400; }
nav.tabs { display: flex; gap: 4px; flex-wrap: wrap; }
nav.tabs button { background: transparent; color: #d1d5db; border: 1px solid transparent; border-radius: 6px; padding: 4px 10px;
  font: inherit; cursor: pointer; max-width: 340px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
nav.tabs button[aria-selected="true"] { background: #374151; color: #fff; border-color: #4b5563; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 60px; }
h1 { font-size: 20px; margin: 4px 0 2px; }
h2 { font-size: 16px; margin: 28px 0 10px; }
.sub { color: var(--muted); margin: 0 0 14px; font-family: var(--mono); font-size: 12px; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 104px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
details.facts { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; }
details.facts summary { cursor: pointer; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 8px 0 2px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-family: var(--mono); font-size: 12.5px; word-break: break-all; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 14px; margin-top: 14px; align-items: start; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart.empty { color: var(--muted); display: flex; align-items: center; min-height: 80px; padding: 16px; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 8px 0 10px; }
.toolbar .filters button { font: inherit; font-size: 13px; padding: 4px 10px; border: 1px solid var(--line); background: var(--card);
  cursor: pointer; margin-right: -1px; }
.toolbar .filters button:first-child { border-radius: 6px 0 0 6px; }
.toolbar .filters button:last-child { border-radius: 0 6px 6px 0; }
.toolbar .filters button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.toolbar input[type=search] { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; min-width: 260px; }
.toolbar select { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); }
.toolbar .count { color: var(--muted); margin-left: auto; }
table.grid { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
table.grid th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); background: #fafbfc; padding: 7px 10px;
  border-bottom: 1px solid var(--line); white-space: nowrap; }
table.grid td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.grid tr:last-child td { border-bottom: 0; }
table.grid td.id { font-family: var(--mono); font-size: 12px; white-space: nowrap; }
table.grid td.q { max-width: 380px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .gold { font-family: var(--mono); font-size: 12.5px; }
.gold { background: #eef2f7; border-radius: 4px; padding: 1px 5px; white-space: nowrap; max-width: 160px; display: inline-block;
  overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
.chips { display: flex; flex-wrap: wrap; gap: 3px; }
.chip { font: 12px var(--mono); border: 0; border-radius: 4px; padding: 1px 6px; cursor: pointer; color: #fff; max-width: 120px;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip.dot { width: 12px; height: 12px; padding: 0; }
.chip.ok { background: var(--ok); } .chip.bad { background: var(--bad); } .chip.none { background: var(--none); }
.chip.err { background: var(--err); } .chip.cut { outline: 2px solid #1d232b55; outline-offset: -2px; }
.chip.static { cursor: default; }
.block table.grid { border: 0; border-top: 1px solid var(--line); border-radius: 0; }
.chip:focus-visible, .chip:hover { filter: brightness(1.12); outline: 2px solid #1d232b; }
.frac { font-variant-numeric: tabular-nums; font-weight: 600; }
.frac.all { color: var(--ok); } .frac.zero { color: var(--bad); }
.flip-yes { color: var(--ok); font-weight: 600; } .flip-no { color: var(--bad); font-weight: 600; }
table.grid tr.clickable { cursor: pointer; } table.grid tr.clickable:hover td { background: #f4f7fb; }
.note { color: var(--muted); font-size: 13px; }
.warn { background: #fff7e6; border: 1px solid #f3d19c; border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
#sample-view { position: fixed; inset: 0; z-index: 10; background: #0f172a66; display: flex; justify-content: flex-end; }
#sample-view[hidden] { display: none; }
#sample-view .panel { width: min(920px, 100%); height: 100%; overflow-y: auto; background: var(--bg); padding: 18px 24px 40px;
  box-shadow: -8px 0 24px #0003; }
.panel .head { display: flex; align-items: center; gap: 10px; }
.panel .head h3 { margin: 0; font-size: 17px; flex: 1; }
.panel .head button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); cursor: pointer; }
.verdict { display: inline-block; border-radius: 6px; padding: 2px 10px; color: #fff; font-weight: 600; }
.verdict.ok { background: var(--ok); } .verdict.bad { background: var(--bad); } .verdict.none { background: var(--none); }
.verdict.err { background: var(--err); }
.why { font-family: var(--mono); font-size: 13px; margin: 8px 0; }
.kv { color: var(--muted); font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.kv b { color: var(--fg); font-weight: 600; }
.block { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; }
.block > summary, .block > .title { padding: 8px 12px; font-weight: 600; cursor: pointer; }
.block > .title { cursor: default; }
.msg { border-top: 1px solid var(--line); padding: 8px 12px; }
.msg .role { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
pre.text { margin: 0; padding: 10px 12px; white-space: pre-wrap; word-break: break-word; font: 12.5px/1.5 var(--mono);
  border-top: 1px solid var(--line); }
.msg pre.text { border: 0; padding: 4px 0 0; }
details.think > pre.text { color: #4b5563; background: #fafbfc; }
mark.answer { background: #ffe58a; padding: 0 2px; border-radius: 3px; box-shadow: 0 0 0 1px #e0b400; }
.cutnote { color: var(--err); }
`;
