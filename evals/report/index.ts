/** Eval report rendering: HTML pages with inline SVG charts, and PNG snapshots of charts. */
export { type ChartSpec, charts, renderSvg, toVegaLite } from "./charts.js";
export { type ReportInput, type ReportTable, renderReport } from "./html.js";
export { renderPng, svgToPng } from "./png.js";
