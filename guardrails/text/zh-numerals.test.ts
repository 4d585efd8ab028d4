import { describe, expect, it } from "vitest";
import { extractMeasurements } from "../index.js";
import { parseZhNumber } from "./zh-numerals.js";

describe("Chinese numerals", () => {
  it.each([
    ["十", 10],
    ["十二点三", 12.3],
    ["二点八", 2.8],
    ["一点九", 1.9],
    ["三十五", 35],
    ["二十多", 25],
    ["十几", 15],
    ["九点几", 9.5],
    ["三百五", 350],
    ["一百零五", 105],
    ["八十五", 85],
    ["两", 2],
  ])("%s → %d", (tok, v) => expect(parseZhNumber(tok)).toBe(v));
});

const glucose = (text: string) =>
  extractMeasurements(text)
    .filter((m) => m.kind === "glucose")
    .map((m) => [m.value, m.unit]);

describe("glucose readings written in Chinese numerals, ranges and 600+", () => {
  it.each([
    ["血糖十点", [[10, "mmol/L"]]],
    ["血糖二十多 一直吐", [[25, "mmol/L"]]],
    ["血糖十二点三", [[12.3, "mmol/L"]]],
    ["爸爸血糖二点八 手抖", [[2.8, "mmol/L"]]],
    ["空腹血糖三点零", [[3, "mmol/L"]]],
    ["血糖显示二", [[2, "mmol/L"]]],
    [
      "sugar running 280-300",
      [
        [280, "mg/dL"],
        [300, "mg/dL"],
      ],
    ],
    [
      "lows around 3.2-3.5",
      [
        [3.2, "mmol/L"],
        [3.5, "mmol/L"],
      ],
    ],
    ["sugar is 600+", [[600, "mg/dL"]]],
  ])("%s", (text, expected) => expect(glucose(text)).toEqual(expected));

  it.each([
    "血糖一直很高",
    "血糖一点都不降",
    "血糖两天没测了",
    "晚上十点测的",
    "血糖三次都正常",
    "DOB 03/05/1962",
    "复查日期 2026-10-01",
  ])("%s → no glucose reading", (text) => expect(glucose(text)).toEqual([]));

  it.each([
    ["尿酮体两个加号", 2],
    ["尿酮体3个加号", 3],
    ["ketones 2+", 2],
  ])("%s → urine ketones %d+", (text, v) =>
    expect(extractMeasurements(text).find((m) => m.kind === "urine-ketone")?.value).toBe(v),
  );
});
