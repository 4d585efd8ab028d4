import { describe, expect, it } from "vitest";
import { prcIdValid, redact } from "./index.js";

const spanTexts = (text: string) => redact(text).spans.map((s) => [text.slice(s.start, s.end), s.type]);

describe("PHI redaction", () => {
  it.each([
    ["My name is John Smith.", "John Smith", "NAME"],
    ["我叫王建国，今年67岁", "王建国", "NAME"],
    ["患者：赵丽华，女", "赵丽华", "NAME"],
    ["王先生您好", "王", "NAME"],
    ["Dr. Chen said so", "Chen", "NAME"],
    ["手机13812345678", "13812345678", "PHONE"],
    ["call +86 139 1234 5678", "+86 139 1234 5678", "PHONE"],
    ["电话 138-1234-5678", "138-1234-5678", "PHONE"],
    ["办公室010-62345678", "010-62345678", "PHONE"],
    ["call (415) 555-0132", "(415) 555-0132", "PHONE"],
    ["身份证11010519491231002X", "11010519491231002X", "ID"],
    ["old id 110105491231002 ok", "110105491231002", "ID"],
    ["mail jane.doe@example.com", "jane.doe@example.com", "EMAIL"],
    ["I live at 123 Main St now", "123 Main St", "ADDRESS"],
    ["住在张杨路500号201室", "张杨路500号201室", "ADDRESS"],
    ["DOB: 1958-04-12", "1958-04-12", "DOB"],
    ["出生日期：1962年3月14日", "1962年3月14日", "DOB"],
    ["born on March 3, 1950", "March 3, 1950", "DOB"],
    ["MRN: 00482913", "00482913", "MRN"],
    ["病历号：A2023-00817", "A2023-00817", "MRN"],
    ["医保卡号：310100123456789", "310100123456789", "INSURANCE"],
    ["SSN 123-45-6789", "123-45-6789", "SSN"],
    ["ring me on 07700 900123 please", "07700 900123", "PHONE"],
    ["NHS no 485 777 3456, eGFR 50", "485 777 3456", "ID"],
    ["HKID: K123456(3)", "K123456(3)", "ID"],
    ["I live at 45 Church Lane, Oxford OX1 2AB now", "45 Church Lane, Oxford OX1 2AB", "ADDRESS"],
    ["Adresse: 12 Rue de la Paix, Paris 75002", "12 Rue de la Paix, Paris 75002", "ADDRESS"],
    ["出生：1960.3.2，血糖9", "1960.3.2", "DOB"],
    ["Medicare number 2123 45670 1", "2123 45670 1", "INSURANCE"],
  ])("%s → %s as %s", (text, phi, type) => {
    expect(spanTexts(text)).toContainEqual([phi, type]);
    expect(redact(text).redacted).toContain(`[${type}]`);
    expect(redact(text).redacted).not.toContain(phi);
  });

  it.each([
    "Blood pressure 140/90, glucose 7.1 mmol/L, weight 91.5 kg",
    "metformin 1000 mg twice daily and glargine 22 units, 70/30 insulin",
    "Lab on 2024-05-10: creatinine 1.4 mg/dL, eGFR 48, UACR 45 mg/g",
    "血糖从16.7降到了8.3，糖化从9.1%降到7.4%，血压145/95",
    "我是一位糖尿病患者，平时很注意饮食",
    "平时医生说要少吃甜食",
  ])("keeps clinical text intact: %s", (text) => {
    const r = redact(text);
    expect(r.spans).toEqual([]);
    expect(r.redacted).toBe(text);
  });

  it("spans index the original text, also with full-width characters", () => {
    const text = "我叫李秀英，手机１３８１２３４５６７８";
    const r = redact(text);
    expect(r.spans.map((s) => text.slice(s.start, s.end))).toEqual(["李秀英", "１３８１２３４５６７８"]);
    expect(r.redacted).toBe("我叫[NAME]，手机[PHONE]");
  });

  it.each([
    ["11010519491231002X", true],
    ["110105194912310021", false],
    ["440301198506121231", true],
    ["440301198506121232", false],
  ])("ISO 7064 checksum %s → %s", (id, ok) => expect(prcIdValid(id)).toBe(ok));

  it("an 18-digit number with a bad checksum and no label is not an ID", () => {
    expect(redact("order 110105194912310021 shipped").spans).toEqual([]);
  });
});
