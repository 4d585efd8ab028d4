import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("ChromaVectorStore (embedded Chroma)", () => {
  it("upserts idempotently, queries by cosine, gets, deletes and counts", async () => {
    const s = chroma.store();
    await s.upsert("c", [rec("a", [1, 0, 0]), rec("b", [0, 1, 0]), rec("c", [Math.SQRT1_2, Math.SQRT1_2, 0])]);
    await s.upsert("c", [rec("a", [1, 0, 0])]);
    expect(await s.count("c")).toBe(3);
    const hits = await s.query("c", [1, 0, 0], 2);
    expect(hits.map((h) => h.id)).toEqual(["a", "c"]);
    expect(hits[0]?.score).toBeCloseTo(1, 5);
    expect(hits[1]?.score).toBeCloseTo(Math.SQRT1_2, 3);
    expect((await s.get("c", { ids: ["b"] }))[0]?.document).toBe("doc b");
    await s.delete("c", ["b"]);
    expect(await s.count("c")).toBe(2);
  });

  it("filters with where ($and, $in) and updates metadata in place", async () => {
    const s = chroma.store();
    await s.upsert("f", [
      rec("p", [1, 0], { kind: "protocol", current: true }),
      rec("e", [1, 0.1], { kind: "education", current: true }),
    ]);
    const where = { $and: [{ current: true }, { kind: { $in: ["protocol"] } }] };
    expect((await s.query("f", [1, 0], 5, where)).map((h) => h.id)).toEqual(["p"]);
    await s.updateMetadata("f", [{ id: "p", metadata: { current: false } }]);
    expect(await s.query("f", [1, 0], 5, where)).toEqual([]);
    expect((await s.get("f", { ids: ["p"] }))[0]?.metadata).toEqual({ kind: "protocol", current: false });
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
