import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toChromaWhere } from "./chroma-store.js";
import { startTestChroma, type TestChroma } from "./test-support.js";

let chroma: TestChroma;
beforeAll(async () => {
  chroma = await startTestChroma();
}, 30_000);
afterAll(async () => {
  await chroma?.stop();
});

const rec = (id: string, vector: number[], meta: Record<string, string | number | boolean> = {}) => ({
  id,
  vector,
  document: `doc ${id}`,
  metadata: meta,
});

// The port's contract (upsert, query, filters, delete, count, dimensions…) is checked by
// vector-store.int.test.ts; these are what only the Chroma adapter has.
describe("ChromaVectorStore (embedded Chroma)", () => {
  it("translates a filter to Chroma's where: one condition bare, several under $and, an empty in list to nothing", () => {
    expect(toChromaWhere(undefined)).toBeUndefined();
    expect(toChromaWhere({})).toBeUndefined();
    expect(toChromaWhere({ eq: { audience: "patient" } })).toEqual({ audience: { $eq: "patient" } });
    expect(toChromaWhere({ eq: { language: "en" }, in: { kind: ["protocol", "education"] } })).toEqual({
      $and: [{ language: { $eq: "en" } }, { kind: { $in: ["protocol", "education"] } }],
    });
    expect(toChromaWhere({ in: { kind: [] } })).toBeNull();
  });

  it("isolates collections by prefix and pages getAll", async () => {
    const a = chroma.store();
    const b = chroma.store();
    await a.upsert(
      "same",
      Array.from({ length: 25 }, (_, i) => rec(`r${i}`, [1, i])),
    );
    expect(await b.count("same")).toBe(0);
    expect((await a.getAll("same", undefined, 10)).length).toBe(25);
    await a.dropCollection("same");
    expect(await a.count("same")).toBe(0);
    expect((await a.health()).ok).toBe(true);
  });
});
