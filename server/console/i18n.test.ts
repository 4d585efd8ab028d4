/** The console's language choice and string tables, and the defensive reading of a conversation memory. */
import { describe, expect, it } from "vitest";
import type { Redacted } from "../../core/domain.js";
import { normalizeHistory } from "./extras.js";
import { fromAcceptLanguage, langHref, STRINGS, span } from "./i18n.js";

describe("console language", () => {
  it("Accept-Language: the first of zh/en by weight, else null", () => {
    expect(fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh");
    expect(fromAcceptLanguage("en-GB,en;q=0.9,zh-CN;q=0.8")).toBe("en");
    expect(fromAcceptLanguage("fr-FR,fr;q=0.9,zh-TW;q=0.5,en;q=0.4")).toBe("zh");
    expect(fromAcceptLanguage("en;q=0.2,zh-Hans;q=0.7")).toBe("zh");
    expect(fromAcceptLanguage("zh;q=0,en")).toBe("en");
    expect(fromAcceptLanguage("de, fr")).toBeNull();
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });

  it("the language switch keeps the page and its filters, drops one-off notices", () => {
    expect(langHref("http://h/console?urgency=urgent&lang=en", "zh")).toBe("/console?urgency=urgent&lang=zh");
    expect(langHref("http://h/console/cases/abc?done=score", "en")).toBe("/console/cases/abc?lang=en");
  });

  it("every Chinese UI string is translated (no English left but names and codes)", () => {
    const same: string[] = [];
    const walk = (en: unknown, zh: unknown, path: string) => {
      if (typeof en === "string") {
        if (en === zh && /[a-z]{3,}/i.test(en)) same.push(path);
      } else if (typeof en === "function") {
        const a = (en as (...x: unknown[]) => string)("x", "y", "z");
        const b = (zh as (...x: unknown[]) => string)("x", "y", "z");
        if (a === b) same.push(path);
      } else if (en && typeof en === "object")
        for (const [k, v] of Object.entries(en)) walk(v, (zh as Record<string, unknown>)[k], `${path}.${k}`);
    };
    walk(STRINGS.en, STRINGS.zh, "t");
    // Names and abbreviations that read the same in both languages.
    expect(same.sort()).toEqual(["t.colKappa", "t.patientContextLabel.eGFR"]);
  });

  it("countdown spans in both languages", () => {
    expect(span(3 * 3600_000 + 5 * 60_000, STRINGS.en)).toBe("3h 5m");
    expect(STRINGS.zh.overdueBy(span(-(26 * 3600_000), STRINGS.zh))).toBe("已超时 1天 2小时");
  });
});

describe("conversation memory, read defensively", () => {
  const red = (s: string) => s.replace(/13\d{9}/g, "[PHONE]") as Redacted;
  it("accepts strings, turns and wrapped turns; redacts; ignores the rest", () => {
    expect(normalizeHistory(undefined, red)).toEqual([]);
    expect(normalizeHistory(42, red)).toEqual([]);
    expect(normalizeHistory("call me on 13912345678", red)).toEqual([{ from: null, at: null, text: "call me on [PHONE]" }]);
    expect(
      normalizeHistory(
        [
          { role: "patient", text: "sugar 9", at: "2026-12-01T08:00:00Z" },
          { from: "bot", content: "noted" },
          { nothing: true },
          7,
        ],
        red,
      ),
    ).toEqual([
      { from: "patient", at: "2026-12-01T08:00:00Z", text: "sugar 9" },
      { from: "bot", at: null, text: "noted" },
    ]);
    expect(normalizeHistory({ summary: "prefers mmol/L", turns: ["hi"] }, red).map((h) => h.text)).toEqual([
      "hi",
      "prefers mmol/L",
    ]);
    expect(
      normalizeHistory(
        Array.from({ length: 80 }, () => "x"),
        red,
      ),
    ).toHaveLength(50);
  });
});
