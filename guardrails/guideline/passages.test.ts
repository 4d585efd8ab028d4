/**
 * Every passage the engine cites exists in the shipped corpus with the same guideline section and
 * is ingested with its id as the chunk id, so a citation always resolves to the passage's text.
 */

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../rag/chunk.js";
import { loadDocuments } from "../../rag/documents.js";
import { G, GUIDELINE_PASSAGE_IDS } from "./sources.js";

const CORPUS = fileURLToPath(new URL("../../rag/corpus/guidelines/", import.meta.url));

describe("guideline passages", () => {
  it("load without problems, each with a version and an effective date", async () => {
    const { docs, problems } = await loadDocuments([CORPUS]);
    expect(problems).toEqual([]);
    expect(docs.length).toBeGreaterThanOrEqual(GUIDELINE_PASSAGE_IDS.length);
    for (const d of docs) {
      expect(d.kind).toBe("guideline");
      expect(d.version).toMatch(/^(ADA-SoC-2025|KDIGO-2022)$/);
      expect(d.effective).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  it("every cited id is one chunk whose id is the passage id, with the section the engine names", async () => {
    const { docs } = await loadDocuments([CORPUS]);
    const byId = new Map(docs.map((d) => [d.sourceId, d]));
    for (const src of Object.values(G)) {
      const d = byId.get(src.id);
      expect(d, src.id).toBeDefined();
      if (!d) continue;
      const chunks = chunkDocument({ unit: d.sourceId, title: d.title, text: d.text, sequentialIds: d.sequentialIds ?? false });
      expect(chunks.map((c) => c.id)).toEqual([src.id]);
      const sec = /§(\d+)/.exec(src.section)?.[1];
      if (sec) expect(d.title).toContain(`§${sec}`);
      else expect(d.title).toContain(/Rec \d\.\d|chapter \d/i.exec(src.section)?.[0]?.replace(/^chapter/i, "Chapter") ?? "KDIGO");
    }
  });
});
