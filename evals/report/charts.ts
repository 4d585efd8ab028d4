/**
 * The charts eval reports use, described as data (ChartSpec) and turned into Vega-Lite specs
 * here, then into SVG by vega's headless View (renderer "none": no canvas, no browser). Text
 * uses DejaVu Sans because it is installed on our machines and resvg needs a real font to draw
 * labels at all; the HTML page falls back to the browser's sans-serif.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export const FONT = "DejaVu Sans";

export type ChartSpec =
  | { kind: "confusion"; title: string; labels: string[]; matrix: number[][] }
  | { kind: "bar"; title: string; bars: Array<{ label: string; value: number }>; valueTitle?: string; max?: number }
  | { kind: "histogram"; title: string; values: number[]; valueTitle?: string; maxbins?: number }
  | { kind: "vega-lite"; title: string; spec: TopLevelSpec };

const CONFIG = {
  font: FONT,
  background: "white",
  axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFont: FONT, titleFont: FONT },
  title: { font: FONT, fontSize: 15 },
  view: { stroke: null },
};

export function toVegaLite(chart: ChartSpec): TopLevelSpec {
  switch (chart.kind) {
    case "confusion": {
      const values = chart.labels.flatMap((gold, i) =>
        chart.labels.map((pred, j) => ({ gold, predicted: pred, count: chart.matrix[i]?.[j] ?? 0 })),
      );
      const sort = chart.labels;
      return {
        title: chart.title,
        config: CONFIG,
        data: { values },
        width: 60 * chart.labels.length,
        height: 60 * chart.labels.length,
        encoding: {
          x: { field: "predicted", type: "nominal", sort, title: "predicted", axis: { labelAngle: -30 } },
          y: { field: "gold", type: "nominal", sort, title: "gold" },
        },
        layer: [
          {
            mark: "rect",
            encoding: { color: { field: "count", type: "quantitative", scale: { scheme: "blues" }, title: "count" } },
          },
          {
            mark: { type: "text", fontSize: 14, font: FONT },
            encoding: {
              text: { field: "count", type: "quantitative" },
              color: { condition: { test: "datum.count > 0", value: "black" }, value: "#999" },
            },
          },
        ],
      } as TopLevelSpec;
    }
    case "bar":
      return {
        title: chart.title,
        config: CONFIG,
        data: { values: chart.bars },
        width: 420,
        height: { step: 22 },
        mark: { type: "bar", color: "#3a6ea5" },
        encoding: {
          y: { field: "label", type: "nominal", sort: null, title: null },
          x: {
            field: "value",
            type: "quantitative",
            title: chart.valueTitle ?? "value",
            ...(chart.max !== undefined ? { scale: { domain: [0, chart.max] } } : {}),
          },
          tooltip: [{ field: "label" }, { field: "value", format: ".3f" }],
        },
      } as TopLevelSpec;
    case "histogram":
      return {
        title: chart.title,
        config: CONFIG,
        data: { values: chart.values.map((v) => ({ v })) },
        width: 420,
        height: 220,
        mark: { type: "bar", color: "#5b8c5a" },
        encoding: {
          x: { field: "v", type: "quantitative", bin: { maxbins: chart.maxbins ?? 20 }, title: chart.valueTitle ?? "score" },
          y: { aggregate: "count", type: "quantitative", title: "items", axis: { tickMinStep: 1, format: "d" } },
        },
      } as TopLevelSpec;
    case "vega-lite":
      return { config: CONFIG, ...chart.spec } as TopLevelSpec;
  }
}

/** Render a chart to an SVG string in Node. */
export async function renderSvg(chart: ChartSpec): Promise<string> {
  const { spec } = compile(toVegaLite(chart));
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Convenience builders so suites need not know the ChartSpec shapes. */
export const charts = {
  confusion: (title: string, labels: string[], matrix: number[][]): ChartSpec => ({ kind: "confusion", title, labels, matrix }),
  perRuleRecall: (title: string, recallByRule: Record<string, number>): ChartSpec => ({
    kind: "bar",
    title,
    bars: Object.entries(recallByRule).map(([label, value]) => ({ label, value })),
    valueTitle: "recall",
    max: 1,
  }),
  histogram: (title: string, values: number[], valueTitle = "score"): ChartSpec => ({
    kind: "histogram",
    title,
    values,
    valueTitle,
  }),
};
