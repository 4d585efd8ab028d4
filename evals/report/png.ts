/**
 * PNG rendering of a chart (for Slack posts and README figures) via resvg, which rasterizes
 * the SVG without a browser. resvg draws no text unless it can find the font, so we load
 * system fonts and name an installed default family.
 */
import { Resvg } from "@resvg/resvg-js";
import { type ChartSpec, FONT, renderSvg } from "./charts.js";

export async function svgToPng(svg: string, opts: { scale?: number } = {}): Promise<Buffer> {
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: opts.scale ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return resvg.render().asPng();
}

export async function renderPng(chart: ChartSpec, opts: { scale?: number } = {}): Promise<Buffer> {
  return svgToPng(await renderSvg(chart), opts);
}
