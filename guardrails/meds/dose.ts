/**
 * Dose and frequency parsing: "500 mg bid", "1000mg twice daily", "10 units", "0.5 mg weekly",
 * "0.5 g", "500mg 每日2次", "一天三次". Returns the amount per administration in the drug's
 * unit family (mg or units) and how many administrations per day or per week.
 */
export interface ParsedDose {
  amount?: number;
  unit?: "mg" | "units";
  perDay?: number;
  perWeek?: number;
}

const ZH_NUM: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

export function parseAmount(s: string): { amount: number; unit: "mg" | "units" } | undefined {
  const t = s.normalize("NFKC").toLowerCase();
  const m = /(\d+(?:\.\d+)?)\s*(mg|毫克|mcg|μg|µg|ug|微克|g\b|克|units?|u\b|iu\b|单位|个单位)/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2] ?? "";
  if (/^(?:mg|毫克)$/.test(u)) return { amount: n, unit: "mg" };
  if (/^(?:mcg|μg|µg|ug|微克)$/.test(u)) return { amount: n / 1000, unit: "mg" };
  if (/^(?:g|克)$/.test(u)) return { amount: n * 1000, unit: "mg" };
  return { amount: n, unit: "units" };
}

export function parseFrequency(s: string): { perDay?: number; perWeek?: number } {
  // "b.i.d." / "q.d." read as bid / qd.
  const t = s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\b([a-z])\.([a-z])\.(?:([a-z])\.)?/g, (_m, a: string, b: string, c?: string) => `${a}${b}${c ?? ""}`);
  if (
    /weekly|every week|once a week|per week|\/\s*(?:week|wk|w)\b|\bqw\b|\bq1w\b|\bqwk\b|每周|一周一次|每星期|每7天|7天一次/.test(
      t,
    )
  )
    return { perWeek: 1 };
  const zh = /(?:每日|每天|一天|一日|日)\s*([一二两三四五六\d])\s*次/.exec(t);
  if (zh) {
    const k = zh[1] ?? "1";
    return { perDay: ZH_NUM[k] ?? Number(k) };
  }
  if (/\bq4h\b|every 4 hours|每4小时/.test(t)) return { perDay: 6 };
  if (/\bqid\b|four times|4 times|\bq6h\b|every 6 hours/.test(t)) return { perDay: 4 };
  if (/\btid\b|three times|3 times|\bq8h\b|every 8 hours|with (?:each )?meals?|before (?:each )?meals?|三餐/.test(t))
    return { perDay: 3 };
  if (/\bbid\b|twice|two times|2 times|\bq12h\b|every 12 hours|早晚/.test(t)) return { perDay: 2 };
  if (
    /\bqd\b|\bod\b|daily|once|a day|per day|\/\s*(?:day|d)\b|\bqn\b|nightly|at bedtime|\bqhs\b|\bqam\b|\bqpm\b|every (?:morning|evening|night)|每晚|睡前|每日|每天|早上|\/日|\/天/.test(
      t,
    )
  )
    return { perDay: 1 };
  return {};
}

export function parseDose(dose?: string, frequency?: string): ParsedDose {
  const both = `${dose ?? ""} ${frequency ?? ""}`;
  const a = parseAmount(both);
  const f = parseFrequency(both);
  return { ...(a ?? {}), ...f };
}
