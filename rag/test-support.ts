/**
 * Integration-test support: one embedded Chroma per test file on a free port in a temp dir,
 * and a unique collection prefix per test so tests never see each other's data.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedChroma } from "./chroma-server.js";
import { ChromaVectorStore } from "./chroma-store.js";

export interface TestChroma {
  url: string;
  dir: string;
  store(prefix?: string): ChromaVectorStore;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestChroma(): Promise<TestChroma> {
  const dir = await mkdtemp(join(tmpdir(), "glyco-chroma-"));
  const chroma = await startEmbeddedChroma({ path: join(dir, "chroma") });
  return {
    url: chroma.url,
    dir,
    store: (prefix) =>
      new ChromaVectorStore({ url: chroma.url, prefix: prefix ?? `t${process.pid}_${Date.now().toString(36)}_${counter++}_` }),
    stop: async () => {
      await chroma.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
