import { describe, expect, it } from "vitest";
import { OfflineHashEmbedder } from "./offline.js";

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

describe("OfflineHashEmbedder", () => {
  const e = new OfflineHashEmbedder();

  it("is deterministic, unit length, of the declared size", async () => {
    const [a, b] = await e.embed(["Metformin and kidney function", "Metformin and kidney function"]);
    expect(a).toEqual(b);
    expect(a?.length).toBe(e.dim);
    expect(Math.hypot(...(a as number[]))).toBeCloseTo(1, 10);
    const [empty] = await e.embed([""]);
    expect(Math.hypot(...(empty as number[]))).toBeCloseTo(1, 10);
  });

  it("places texts sharing words closer than unrelated texts (English and Chinese)", async () => {
    const [q, near, far, zq, znear, zfar] = await e.embed([
      "symptoms of low blood sugar",
      "Low blood sugar symptoms include shaking and sweating.",
      "Cataract surgery replaces the lens of the eye.",
      "低血糖有什么症状",
      "低血糖的症状有心慌、出汗、手抖。",
      "白内障手术更换眼睛的晶状体。",
    ]);
    expect(dot(q as number[], near as number[])).toBeGreaterThan(dot(q as number[], far as number[]) + 0.2);
    expect(dot(zq as number[], znear as number[])).toBeGreaterThan(dot(zq as number[], zfar as number[]) + 0.2);
  });
});
