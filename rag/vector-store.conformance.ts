/**
 * The VectorStore contract (core/ports.ts) as one test suite, run against every adapter by
 * rag/vector-store.int.test.ts: the embedded Chroma server and the in-process store. A behaviour
 * one adapter has and another lacks fails here, not in a retrieval result.
 */
import { describe, expect, it } from "vitest";
import type { VectorMetadata, VectorStore } from "../core/ports.js";

const rec = (id: string, vector: number[], metadata: VectorMetadata = {}) => ({ id, vector, document: `doc ${id}`, metadata });
const ids = (hits: readonly { id: string }[]) => hits.map((h) => h.id);
const sorted = (hits: readonly { id: string }[]) => ids(hits).sort();

/** Unit vector at `deg` degrees in the x-y plane (cosine between two of them = cos of the angle between). */
const at = (deg: number) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180), 0];
const cos = (deg: number) => Math.cos((deg * Math.PI) / 180);

/** Runs the contract against the store `make` returns; each call must give a store no other test sees. */
export function vectorStoreConformance(name: string, make: () => VectorStore | Promise<VectorStore>): void {
  describe(`VectorStore conformance: ${name}`, () => {
    it("an empty or never-written collection reads as empty", async () => {
      const s = await make();
      expect(await s.count("none")).toBe(0);
      expect(await s.query("none", at(0), 5)).toEqual([]);
      expect(await s.queryIds("none", [at(0), at(90)], 5)).toEqual([[], []]);
      expect(await s.get("none", {})).toEqual([]);
      expect(await s.get("none", { ids: ["x"] })).toEqual([]);
      expect(await s.getAll("none")).toEqual([]);
      expect(await s.collectionMetadata("none")).toEqual({});
      await s.dropCollection("never-created");
      expect((await s.health()).ok).toBe(true);
    });

    it("upsert is idempotent by id: it replaces vector and document and merges metadata", async () => {
      const s = await make();
      await s.upsert("u", [rec("a", at(0), { kind: "protocol", ordinal: 1 }), rec("b", at(90))]);
      await s.upsert("u", [rec("a", at(0), { kind: "protocol", ordinal: 1 })]);
      expect(await s.count("u")).toBe(2);
      await s.upsert("u", [{ id: "a", vector: at(90), document: "new text", metadata: { ordinal: 2 } }]);
      expect(await s.count("u")).toBe(2);
      const [a] = await s.get("u", { ids: ["a"] });
      expect(a).toEqual({ id: "a", document: "new text", metadata: { kind: "protocol", ordinal: 2 } });
      // The vector was replaced too: "a" now sits where "b" is, far from 0°.
      const [top] = await s.query("u", at(90), 1, { eq: { kind: "protocol" } });
      expect(top?.id).toBe("a");
      expect(top?.score).toBeCloseTo(1, 4);
      expect(await s.query("u", at(0), 2)).toSatisfy((h: { score: number }[]) => h.every((x) => x.score < 0.01));
    });

    it("query returns the top k best first with cosine similarity; queryIds agrees, one list per vector", async () => {
      const s = await make();
      await s.upsert("q", [rec("d0", at(0)), rec("d30", at(30)), rec("d60", at(60)), rec("d100", at(100)), rec("d180", at(180))]);
      const hits = await s.query("q", at(10), 3);
      expect(ids(hits)).toEqual(["d0", "d30", "d60"]);
      expect(hits.map((h) => h.score)).toEqual([
        expect.closeTo(cos(10), 4),
        expect.closeTo(cos(20), 4),
        expect.closeTo(cos(50), 4),
      ]);
      expect(hits[0]).toMatchObject({ document: "doc d0", metadata: {} });
      expect(ids(await s.query("q", at(170), 10))).toEqual(["d180", "d100", "d60", "d30", "d0"]);
      const [near10, near95] = await s.queryIds("q", [at(10), at(95)], 2);
      expect(near10).toEqual([
        { id: "d0", score: expect.closeTo(cos(10), 4) },
        { id: "d30", score: expect.closeTo(cos(20), 4) },
      ]);
      expect(near95?.map((h) => h.id)).toEqual(["d100", "d60"]);
      expect(await s.queryIds("q", [], 3)).toEqual([]);
    });

    it("filters: eq on strings, numbers and booleans, in, both at once (AND); a missing key never matches", async () => {
      const s = await make();
      await s.upsert("f", [
        rec("p-en", at(0), { kind: "protocol", language: "en", current: true, ordinal: 1 }),
        rec("e-en", at(5), { kind: "education", language: "en", current: true, ordinal: 2 }),
        rec("e-zh", at(10), { kind: "education", language: "zh", current: false, ordinal: 2 }),
        rec("g-en", at(15), { kind: "guideline", language: "en", current: true, ordinal: 3 }),
        rec("bare", at(1)),
      ]);
      const q = (filter: Parameters<VectorStore["query"]>[3]) => s.query("f", at(0), 10, filter).then(ids);
      expect(await q({ eq: { language: "en" } })).toEqual(["p-en", "e-en", "g-en"]);
      expect(await q({ eq: { current: false } })).toEqual(["e-zh"]);
      expect(await q({ eq: { ordinal: 2 } })).toEqual(["e-en", "e-zh"]);
      // Types are not coerced: the number 2 is not the string "2".
      expect(await q({ eq: { ordinal: "2" } })).toEqual([]);
      expect(await q({ in: { kind: ["protocol", "guideline"] } })).toEqual(["p-en", "g-en"]);
      expect(await q({ eq: { language: "en", current: true }, in: { kind: ["education", "guideline"] } })).toEqual([
        "e-en",
        "g-en",
      ]);
      expect(await q({ in: { kind: [] } })).toEqual([]);
      expect(await q({ eq: { missing: "x" } })).toEqual([]);
      expect(await q({})).toHaveLength(5);
      const [idsOnly] = await s.queryIds("f", [at(0)], 10, { in: { ordinal: [1, 3] } });
      expect(idsOnly?.map((h) => h.id)).toEqual(["p-en", "g-en"]);
      expect(sorted(await s.get("f", { filter: { eq: { kind: "education" } } }))).toEqual(["e-en", "e-zh"]);
      expect(sorted(await s.get("f", { ids: ["p-en", "e-zh"], filter: { eq: { language: "zh" } } }))).toEqual(["e-zh"]);
      expect(sorted(await s.getAll("f", { eq: { current: true } }))).toEqual(["e-en", "g-en", "p-en"]);
    });

    it("deletes by id (unknown ids ignored) and counts what is left", async () => {
      const s = await make();
      await s.upsert("d", [rec("a", at(0)), rec("b", at(10)), rec("c", at(20))]);
      expect(await s.count("d")).toBe(3);
      await s.delete("d", ["b", "not-there"]);
      await s.delete("d", []);
      expect(await s.count("d")).toBe(2);
      expect(await s.get("d", { ids: ["b"] })).toEqual([]);
      expect(ids(await s.query("d", at(5), 5))).toEqual(["a", "c"]);
      await s.delete("d", ["a", "c"]);
      expect(await s.count("d")).toBe(0);
      expect(await s.query("d", at(0), 5)).toEqual([]);
    });

    it("pages get with limit and offset", async () => {
      const s = await make();
      await s.upsert(
        "p",
        Array.from({ length: 7 }, (_, i) => rec(`r${i}`, at(i * 10))),
      );
      const pages = [await s.get("p", { limit: 3, offset: 0 }), await s.get("p", { limit: 3, offset: 3 })];
      const last = await s.get("p", { limit: 3, offset: 6 });
      expect(pages.map((p) => p.length)).toEqual([3, 3]);
      expect(last).toHaveLength(1);
      expect([...pages.flat(), ...last].map((r) => r.id).sort()).toEqual(sorted(await s.getAll("p")));
      expect(await s.getAll("p")).toHaveLength(7);
    });

    it("refuses a vector of another dimension (AppError CONFLICT) and keeps what it had", async () => {
      const s = await make();
      await s.upsert("dim", [rec("a", [1, 0, 0]), rec("b", [0, 1, 0])]);
      await expect(s.upsert("dim", [rec("c", [1, 0])])).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(s.query("dim", [1, 0], 1)).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(s.queryIds("dim", [[1, 0, 0, 0]], 1)).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await s.count("dim")).toBe(2);
      expect(ids(await s.query("dim", [1, 0, 0], 1))).toEqual(["a"]);
    });

    it("updates metadata in place, moves records with their vectors, keeps collection metadata, drops", async () => {
      const s = await make();
      await s.upsert("m", [rec("a", at(0), { kind: "protocol", current: true }), rec("b", at(40), { current: true })]);
      await s.updateMetadata("m", [
        { id: "a", metadata: { current: false } },
        { id: "ghost", metadata: { current: false } },
      ]);
      expect((await s.get("m", { ids: ["a"] }))[0]?.metadata).toEqual({ kind: "protocol", current: false });
      expect(await s.count("m")).toBe(2);

      expect(await s.move("m", "m_hist", ["a", "ghost"], { moved: true })).toBe(1);
      expect(await s.move("m", "m_hist", [])).toBe(0);
      expect(ids(await s.getAll("m"))).toEqual(["b"]);
      const [moved] = await s.query("m_hist", at(0), 1);
      expect(moved).toMatchObject({ id: "a", document: "doc a", metadata: { kind: "protocol", current: false, moved: true } });
      expect(moved?.score).toBeCloseTo(1, 4);

      await s.setCollectionMetadata("m", { embedder: "e1", dim: 3 });
      expect(await s.collectionMetadata("m")).toEqual({ embedder: "e1", dim: 3 });
      await s.dropCollection("m");
      expect(await s.count("m")).toBe(0);
      expect(await s.collectionMetadata("m")).toEqual({});
      expect(await s.count("m_hist")).toBe(1);
    });
  });
}
