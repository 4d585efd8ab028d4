/** The Ollama client against the stand-in: keep-alive, timeouts, the concurrency cap and back-pressure on the wire. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { createOllamaLlm } from "./ollama.js";

let standin: ModelHostStandin;
beforeAll(async () => {
  standin = await startModelHostStandin();
});
afterAll(async () => standin?.close());

const req = { system: "s", prompt: "p" as never, schema: { type: "object" } };

describe("Ollama provider", () => {
  it("sends keep_alive, the schema as format, temperature and seed; reports provider and model", async () => {
    standin.reply({ kind: "json", value: { ok: true } });
    const llm = createOllamaLlm({ host: standin.url, model: "glycopilot-glm4-9b", keepAlive: "45m" });
    const res = await llm.complete({ ...req, temperature: 0.7, seed: 3 });
    expect(res).toMatchObject({ text: '{"ok":true}', provider: "ollama", model: "glycopilot-glm4-9b" });
    expect(standin.chatRequests().at(-1)?.body).toMatchObject({
      keep_alive: "45m",
      format: { type: "object" },
      options: { temperature: 0.7, seed: 3 },
    });
    expect(await llm.health()).toEqual({ ok: true });
  });

  it("never has more than `parallel` requests on the wire (the rest wait client-side)", async () => {
    let inFlight = 0;
    let peak = 0;
    standin.reply(() => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      // biome-ignore lint/suspicious/noThenProperty: the stand-in's scripted-reply shape names its continuation `then`
      return { kind: "delay", ms: 60, then: { kind: "json", value: {} } };
    });
    // The stand-in answers after the delay; count completions to decrement.
    const llm = createOllamaLlm({ host: standin.url, model: "m", parallel: 2, timeoutMs: 5_000 });
    const done = (p: Promise<unknown>) => p.finally(() => inFlight--);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => done(llm.complete(req))));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(peak).toBe(2);
  });

  it("a host that does not answer → MODEL_TIMEOUT within the configured time", async () => {
    standin.reply({ kind: "hang" });
    const llm = createOllamaLlm({ host: standin.url, model: "m", timeoutMs: 300 });
    const t0 = Date.now();
    await expect(llm.complete(req)).rejects.toMatchObject({ code: "MODEL_TIMEOUT" });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("an unpulled model is not healthy", async () => {
    const llm = createOllamaLlm({ host: standin.url, model: "not-pulled" });
    expect((await llm.health()).ok).toBe(false);
  });
});
