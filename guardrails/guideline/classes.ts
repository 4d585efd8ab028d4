/**
 * What a free-text drug name is: a formulary drug (id and class), or — for names the formulary
 * does not know — its class from class words ("basal insulin", "SGLT2 inhibitor", "simvastatin",
 * "磺脲类"), so rules about a class still apply to drugs outside the formulary.
 */
import { findDrug } from "../meds/formulary.js";

/** Class words a draft may use instead of a drug name ("basal insulin", "SGLT2 inhibitor", "磺脲类"). */
const CLASS_WORDS: ReadonlyArray<{ re: RegExp; cls: string }> = [
  { re: /basal|glargine|detemir|degludec|\bnph\b|基础胰岛素|甘精|地特|德谷|中效/i, cls: "insulin-basal" },
  {
    re: /bolus|prandial|mealtime|rapid[- ]acting|aspart|lispro|glulisine|餐时|门冬|赖脯|谷赖|速效|短效/i,
    cls: "insulin-prandial",
  },
  { re: /premix|预混/i, cls: "insulin-premixed" },
  { re: /sglt-?2|gliflozin|列净/i, cls: "sglt2" },
  { re: /glp-?1|glutide|tirzepatide|exenatide|鲁肽|糖肽|替尔泊肽/i, cls: "glp1" },
  { re: /sulfonylurea|sulphonylurea|磺脲/i, cls: "sulfonylurea" },
  { re: /dpp-?4|gliptin|列汀/i, cls: "dpp4" },
  { re: /ace inhibitor|acei\b|pril\b|普利/i, cls: "ace-inhibitor" },
  { re: /\barb\b|sartan|angiotensin receptor|沙坦/i, cls: "arb" },
  { re: /statin|他汀/i, cls: "statin" },
  { re: /glitazone|thiazolidinedione|格列酮/i, cls: "tzd" },
];

export interface DrugIdentity {
  id?: string;
  cls?: string;
}

export function identify(name: string): DrugIdentity {
  const d = findDrug(name);
  if (d) return { id: d.id, cls: d.class };
  if (/finerenone|非奈利酮/i.test(name)) return { id: "finerenone", cls: "ns-mra" };
  const w = CLASS_WORDS.find((x) => x.re.test(name));
  return w ? { cls: w.cls } : {};
}
