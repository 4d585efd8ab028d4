import { describe, expect, it } from "vitest";
import { DEFAULT_CLINIC_CONTACT } from "../../core/config.js";
import { patientText } from "./texts.js";

describe("WeChat texts: one language, the clinic country's emergency number", () => {
  it("a Chinese text never carries the English default contact", () => {
    const t = patientText("zh", "unknown", DEFAULT_CLINIC_CONTACT);
    expect(t).not.toContain(DEFAULT_CLINIC_CONTACT);
    expect(t).toMatch(/门诊电话/);
  });
  it("a configured contact is quoted as given", () => {
    expect(patientText("zh", "badCode", "010-12345678")).toContain("010-12345678");
  });
  it.each([
    ["zh", "911", "120"],
    ["en", "120", "911"],
    ["en", "999", "local emergency number now"],
  ] as const)("bound (%s) with %s", (lang, n, absent) => {
    const t = patientText(lang, "bound", DEFAULT_CLINIC_CONTACT, n);
    expect(t).toContain(n);
    expect(t).not.toContain(absent);
  });
  it("without a configured country the historical defaults stay", () => {
    expect(patientText("zh", "bound", DEFAULT_CLINIC_CONTACT)).toContain("120");
  });
});
