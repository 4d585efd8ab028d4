import { describe, expect, it } from "vitest";
import { charts, renderPng, renderReport, renderSvg, svgToPng } from "./index.js";

const confusion = charts.confusion(
  "Triage confusion",
  ["emergency", "urgent", "routine"],
  [
    [9, 1, 0],
    [0, 7, 2],
    [0, 1, 12],
  ],
);

describe("report rendering", () => {
  it("renders an SVG with labels as text (no canvas needed)", async () => {
    const svg = await renderSvg(confusion);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">emergency<");
    expect(svg).toContain(">12<");
    expect(svg).toContain("DejaVu Sans");
  });

  it("renders a self-contained HTML page with escaped text and inline SVG", async () => {
    const html = await renderReport({
      title: "Triage <eval>",
      summary: { emergencyRecall: 0.9, items: 33, model: "glm4-9b" },
      charts: [confusion, charts.perRuleRecall("Per-rule recall", { dka: 0.8 }), charts.histogram("BLEU", [1, 2, 50])],
      tables: [{ title: "Misses", columns: ["id", "gold"], rows: [["t1", "emergency"]] }],
    });
    expect(html).toContain("<title>Triage &lt;eval&gt;</title>");
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('<td class="num">0.9000</td>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("renders a PNG whose text is drawn (fonts found)", async () => {
    const png = await renderPng(confusion);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // If resvg found no font it silently drops text, and the image would equal the text-less one.
    const svg = await renderSvg(confusion);
    const noText = await svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ""));
    expect(svg).toMatch(/<text/);
    expect(png.equals(noText)).toBe(false);
    expect(png.length).toBeGreaterThan(noText.length);
  });
});
