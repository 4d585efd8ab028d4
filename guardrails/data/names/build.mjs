#!/usr/bin/env node
/**
 * Rebuilds the name gazetteers in this folder from their public sources (see README.md):
 *
 *   node guardrails/data/names/build.mjs --census 2010_Census_Surnames.csv --ssa 2010_SSA_baby_names.csv \
 *     --faker node_modules/faker/lib/locales --medquad medquad_passages.jsonl
 *
 * Writes en-given.json, en-surnames.json, en-ordinary.json and zh-given.json. curated.json and
 * zh-surnames.json are edited by hand. Names are stored as written (capitalised, ASCII-folded
 * copies added for names with diacritics) and matched case-sensitively by guardrails/phi-names.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const args = {};
process.argv.slice(2).forEach((a, i, all) => {
  if (a.startsWith("--")) args[a.slice(2)] = all[i + 1];
});
for (const k of ["census", "ssa", "faker", "medquad"]) if (!args[k]) throw new Error(`missing --${k}`);
const here = new URL(".", import.meta.url).pathname;
const require = createRequire(import.meta.url);

const fold = (s) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/ı/g, "i")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L");
const titleCase = (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
const latin = (s) => /^\p{Lu}[\p{L}'’-]+$/u.test(s) && /^[\p{Script=Latin}'’-]+$/u.test(s);

// US Census 2010 surnames (top 1000 by count): "SMITH,1,..." — upper case; OBRIEN has lost its apostrophe.
const census = readFileSync(args.census, "utf8")
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(",")[0])
  .filter(Boolean)
  .map(titleCase);
// SSA 2010 baby names (top 1000 per sex).
const ssa = readFileSync(args.ssa, "utf8")
  .replace(/^\uFEFF/, "")
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(",")[0])
  .filter(Boolean);

const FAKER = [
  "en",
  "en_AU",
  "en_IND",
  "en_NG",
  "en_GH",
  "ne",
  "es",
  "es_MX",
  "pt_BR",
  "fr",
  "it",
  "de",
  "nl",
  "pl",
  "tr",
  "vi",
  "zu_ZA",
  "af_ZA",
  "nb_NO",
  "fi",
  "id_ID",
  "sv",
  "ro",
];
// Whole lists for the origins the Census and SSA lists cover thinly; the European lists are long
// and alphabetical, so a cap would cut letters off: they are taken whole up to 1,200 entries.
const LIMIT = 1200;
function fakerList(loc, keys) {
  const out = [];
  for (const k of keys) {
    try {
      const v = require(join(args.faker, loc, "name", `${k}.js`));
      if (Array.isArray(v)) out.push(...v.slice(0, LIMIT));
    } catch {}
  }
  return out;
}
const split = (names) => names.flatMap((n) => n.split(/\s+/)).filter((w) => latin(w) && w.length >= 2);
const fakerGiven = FAKER.flatMap((l) =>
  split(fakerList(l, ["first_name", "male_first_name", "female_first_name", "first_name_women", "first_name_men"])),
);
const fakerSurnames = FAKER.flatMap((l) => split(fakerList(l, ["last_name", "male_last_name", "female_last_name"])));

const curated = JSON.parse(readFileSync(join(here, "curated.json"), "utf8"));
const withFolded = (names) => [...new Set(names.flatMap((n) => (fold(n) === n ? [n] : [n, fold(n)])))];
const given = withFolded([...ssa, ...fakerGiven, ...curated.given]).sort();
const surnames = withFolded([...census, ...fakerSurnames, ...curated.surnames]).sort();

// A name that English medical text writes in lower case ("will", "hope", "brown rice") is ambiguous:
// it needs more evidence than its capital letter. Counted on MedQuAD patient-education passages.
const lower = new Map();
for (const line of readFileSync(args.medquad, "utf8").split("\n")) {
  if (!line.trim()) continue;
  for (const w of JSON.parse(line).text.match(/(?<![\p{L}])\p{Ll}+(?![\p{L}])/gu) ?? []) lower.set(w, (lower.get(w) ?? 0) + 1);
}
const ordinary = [
  ...new Set([...given, ...surnames].filter((n) => (lower.get(n.toLowerCase()) ?? 0) >= 2).concat(curated.ordinary)),
].sort();

const zhFaker = require(join(args.faker, "zh_CN", "name", "first_name.js"));
// Characters of common given names: faker zh_CN given names, then a project list of frequent given-name characters.
const ZH_COMMON =
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰玉萍红建国志文辉斌宇浩凯鹏飞鑫波宁婷雪琳晶燕颖慧丹玲倩莉欣梅琴云莹蕾洁岩峰林亮成东海龙德福荣春生金兵胜利新庆民永俊宏帆博瑞泽轩涵晨阳昊然睿思嘉怡佳琪璐瑶悦雅诗梦彤妍蕊菲琦萌露晓立伦良江川山峻昌彬亚秋冬夏月星香珍凤淑翠美爱芬兴旺贵发财全义忠孝仁礼智信武威雄豪松柏森树清泉晖光耀振家安乐康寿祥顺达毅恒冰雨虹彩锦绣珊璇瑾瑜琼馨薇芸茜菁蓉莲菊娥妹姣婉媛娇嫣娴姝婧妮姗舒晴曦昕晗煜炜烨焱灿熙哲铭锋钧锐翔鸿鹤骏驰腾跃逸远迪航舟帅卫科学权根柱宝坤培城坚尧舜禹汉晋楚继承先旭升勤俭朝霖桐楠梓萱若惠蓓蔚蕴倩倪纯真善宜静怡昭晟琛璋琨珏瑛琬瑞璟荣华富贵喜庆长青秀丽志刚国强建军建华建平建明卫东卫国红梅红霞秀兰秀珍桂兰桂芝凤英淑珍玉兰玉珍丽华丽娟婉儿敬腾长汉学森相杰田芳雯冲惇嵩南雷懿婵骞骁羽裕韬";
// Characters that are far more often function words or everyday words than given-name parts.
const ZH_NOT_GIVEN = new Set("天子然正果风笑愚默语堂苍学科先承继全发财相田长真善宜若");
const zhGiven = [...new Set([...zhFaker.join(""), ...ZH_COMMON])]
  .filter((c) => /\p{Script=Han}/u.test(c) && !ZH_NOT_GIVEN.has(c))
  .join("");

const header = (source, licence) => ({ source, licence });
const write = (file, obj) => writeFileSync(join(here, file), `${JSON.stringify(obj, null, 0).replace(/","/g, '",\n"')}\n`);
write("en-given.json", {
  ...header(
    "SSA 2010 top-1000 baby names per sex; faker 5.5.3 locale first names; curated.json",
    "public domain (US government work); MIT (faker); project",
  ),
  names: given,
});
write("en-surnames.json", {
  ...header(
    "US Census 2010 top-1000 surnames; faker 5.5.3 locale last names; curated.json",
    "public domain (US government work); MIT (faker); project",
  ),
  names: surnames,
});
write("en-ordinary.json", {
  ...header(
    "names written in lower case ≥ 2 times in MedQuAD passages, plus curated.json 'ordinary'",
    "derived counts from CC BY 4.0 text; project",
  ),
  names: ordinary,
});
write("zh-given.json", {
  ...header(
    "characters of faker 5.5.3 zh_CN given names; frequent given-name characters compiled by the project",
    "MIT (faker); project",
  ),
  chars: zhGiven,
});
console.log(`given ${given.length}, surnames ${surnames.length}, ordinary ${ordinary.length}, zh given chars ${zhGiven.length}`);
