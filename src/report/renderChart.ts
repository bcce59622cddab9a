import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The look every chart shares (Vega-Lite config): the page's font, quiet axes, no outer border. */
const CONFIG = {
  font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  view: { stroke: null },
  axis: { labelColor: "#555", titleColor: "#333", gridColor: "#eee", domainColor: "#bbb", tickColor: "#bbb", titleFontWeight: 500 },
  legend: { labelColor: "#444", titleColor: "#333", orient: "bottom" },
  title: { anchor: "start", fontSize: 13, fontWeight: 600, color: "#222", subtitleColor: "#666" },
} as const;

/**
 * A Vega-Lite spec drawn as an SVG string, in Node, when the report is made: the page needs no
 * script and no network to show it. Ids inside the SVG (clip paths) get `idPrefix`, so that several
 * charts inlined in one page never share one.
 */
export async function renderChart(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { spec: vegaSpec } = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec);
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return svg.replace(/id="([^"]+)"/g, `id="${idPrefix}$1"`).replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}$1)`);
  } finally {
    view.finalize();
  }
}
