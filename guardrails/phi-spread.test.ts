import { describe, expect, it } from "vitest";
import { redact } from "./index.js";

const spanTexts = (text: string) => redact(text).spans.map((s) => [text.slice(s.start, s.end), s.type]);

describe("names without a strong cue", () => {
  it.each([
    ["patient Zhang Wei, bg 12.3", "Zhang Wei"],
    ["Patient Mary Johnson reports A1c 8.1%", "Mary Johnson"],
    ["Zhang Wei, 62F, HbA1c 8.1%", "Zhang Wei"],
    ["Pt Liu Yang (DOB 1955-11-20)", "Liu Yang"],
    ["Hi it's Mary Johnson again", "Mary Johnson"],
    ["患者张伟血糖 12.3", "张伟"],
    ["张伟 男 62岁", "张伟"],
    ["陈建国，男，70岁", "陈建国"],
    ["我爸叫李建华，今年75了", "李建华"],
  ])("%s → %s", (text, name) => expect(spanTexts(text)).toContainEqual([name, "NAME"]));
  it.each(["患者应该多运动", "患者高血压十年", "it's Lantus 20 units", "My mom is 82 years old", "Patient reports glucose 7"])(
    "%s → no NAME",
    (text) => expect(spanTexts(text).filter(([, t]) => t === "NAME")).toEqual([]),
  );
});

describe("a name found once is redacted at every mention", () => {
  it.each([
    ["Patient: Zhang Wei, A1c 8.1%. Zhang Wei's daughter called.", ["Zhang Wei", "Zhang Wei"]],
    ["My name is Mary Johnson. Johnson is my married name.", ["Mary Johnson", "Johnson"]],
    ["我叫张伟，张伟的血糖是12.3", ["张伟", "张伟"]],
  ])("%s", (text, names) => {
    const r = redact(text);
    expect(
      spanTexts(text)
        .filter(([, t]) => t === "NAME")
        .map(([n]) => n),
    ).toEqual(names);
    expect(r.redacted).toMatch(/12\.3|8\.1%|married/);
  });
  it("a lone surname from 王先生 is not spread to every 王", () =>
    expect(redact("王先生说王老吉能喝吗").redacted).toBe("[NAME]先生说王老吉能喝吗"));
});

describe("addresses keep their district, city and postcode; DOB before 出生; MRN#", () => {
  it.each([
    [
      "Address: 88 Jianguo Road, Chaoyang District, Beijing 100022. Weight 72kg",
      "88 Jianguo Road, Chaoyang District, Beijing 100022",
      "ADDRESS",
    ],
    ["I moved to 12 Beacon Street, Boston MA 02115 last month", "12 Beacon Street, Boston MA 02115", "ADDRESS"],
    ["家住北京市朝阳区建国路88号，胰岛素 20单位", "北京市朝阳区建国路88号", "ADDRESS"],
    ["住址 成都市武侯区人民南路四段12号", "成都市武侯区人民南路四段12号", "ADDRESS"],
    ["1962年3月5日出生，eGFR 44", "1962年3月5日", "DOB"],
    ["MRN#: 5512309 eGFR 44", "5512309", "MRN"],
  ])("%s", (text, id, type) => expect(spanTexts(text)).toContainEqual([id, type]));
  it.each([
    ["2026-10-01 复查 HbA1c 8.1%", ["2026-10-01", "8.1"]],
    ["BP 150/95, 胰岛素 20单位, 体重 72kg, 血糖 12.3", ["150/95", "20", "72", "12.3"]],
    ["123 Main St, Springfield; metformin 500 mg bid", ["500"]],
  ])("%s keeps clinical numbers", (text, keep) => {
    const r = redact(text);
    for (const k of keep) expect(r.redacted).toContain(k);
  });
});
