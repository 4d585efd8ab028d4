/** The VectorStore conformance suite against the real embedded Chroma and the in-process store. */
import { afterAll, beforeAll } from "vitest";
import { MemoryVectorStore } from "./memory-store.js";
import { startTestChroma, type TestChroma } from "./test-support.js";
import { vectorStoreConformance } from "./vector-store.conformance.js";

let chroma: TestChroma | undefined;
beforeAll(async () => {
  chroma = await startTestChroma();
}, 30_000);
afterAll(async () => {
  await chroma?.stop();
});

vectorStoreConformance("embedded Chroma", () => {
  if (!chroma) throw new Error("embedded Chroma did not start");
  return chroma.store();
});
vectorStoreConformance("in memory", () => new MemoryVectorStore());
