/**
 * The name gazetteers (guardrails/data/names, sources and licences in its README) as lookups,
 * and the word classes the name finder needs: which capitalised words are names, which are
 * names that are also ordinary words (Will, May, Brown), and which are never names here.
 */
import curated from "./data/names/curated.json" with { type: "json" };
import enGiven from "./data/names/en-given.json" with { type: "json" };
import enOrdinary from "./data/names/en-ordinary.json" with { type: "json" };
import enSurnames from "./data/names/en-surnames.json" with { type: "json" };
import zhGiven from "./data/names/zh-given.json" with { type: "json" };
import zhSurnames from "./data/names/zh-surnames.json" with { type: "json" };
import { findDrug } from "./meds/formulary.js";

// curated.json is also read directly, so a hand-added name counts before build.mjs is re-run.
const GIVEN = new Set<string>([...enGiven.names, ...curated.given]);
const SURNAME = new Set<string>([...enSurnames.names, ...curated.surnames]);
const ORDINARY = new Set<string>(enOrdinary.names);

/**
 * Capitalised words that start sentences, headings and addresses in patient messages and are
 * never a name there: function words, greetings, kin and care roles, titles, calendar words,
 * places and institutions, and the medical heading words of MedQuAD-style questions.
 */
const STOP = new Set(
  `A An The And Or But If So Then Than As At By For From In Into Of On Onto To With Without Within About After Before Since Until During
  Is Are Was Were Be Been Am Do Does Did Has Have Had Can Could Would Shall Should Might Must Not No Yes Ok Okay
  I Me My Mine We Us Our You Your He Him His She Her It Its They Them Their This That These Those There Here What Which Who Whom Whose Why How When Where
  Hi Hello Hey Dear Thanks Thank Please Sorry Regards Best Cheers Kind Warm Good Morning Evening Night Afternoon Today Tonight Yesterday Tomorrow
  Mr Mrs Ms Miss Mx Dr Prof Sir Madam Nurse Sister Doctor Patient Pt Pts Mum Mom Mother Dad Father Son Daughter Wife Husband Brother Baby Child Kid
  Grandma Grandpa Granny Aunt Uncle Friend Neighbour Neighbor Carer Caregiver Partner Team Clinic Hospital Pharmacy Pharmacist Surgery Ward Unit
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August September October November December
  Christmas Easter Ramadan Eid Diwali Navratri Lent New Year Day Week Month
  North South East West New Old Upper Lower Great Little San Santa Los Las St Saint Mount Mt Fort Lake Port Street St Road Rd Avenue Ave Lane Drive District County City Province State University College School Centre Center Medical General Royal Institute Association Foundation Society Health National American British Chinese Diabetes
  Scale Score Index Criteria Classification Sign Law Rule Method Formula Equation
  Type Diabetic Diabetes Prediabetes Gestational Insulin Glucose Sugar Blood Test Tests Testing Kidney Kidneys Heart Eye Eyes Foot Feet Nerve Nerves Skin Liver Disease Diseases Syndrome Disorder Deficiency Cancer Care Risk Risks Problem Problems Help Treatment Treatments Symptoms Causes Diagnosis Prevention Complications Diet Exercise Weight Pregnancy Medicine Medicines Medication Medications Drug Drugs Tablet Tablets Pill Pills Pen Pens Pump Sensor Meter Strip Strips Injection Injections Dose Doses Units
  Note Notes Message Referral Seen Call Called Spoke Phoned Asked Told Please Send Tell Ask Check Checked Taking Feeling Having Still Also Just Now Currently Using Back Going Trying Writing Male Female Fine Reports Says Said Update Follow Followup Review Plan Advice Question Questions Answer Reply Subject Re Fw Fwd
  Keep Prevent Lower Getting Steps Am What Financial Living Managing Eating Healthy Your Life Facts Overview Information Summary Research Clinical Trials Study Studies
  God Jesus Allah Lord Google Facebook WeChat Slack Libre Dexcom Omnipod Medtronic`.split(/\s+/),
);

const titleOf = (w: string) => w.charAt(0) + w.slice(1).toLowerCase();

/** A word shaped like a name whatever the lists say: O'Brien, D'Souza, McGregor, MacLeod, Al-Farsi. */
export function nameShaped(w: string): boolean {
  return (
    /^(?:O|D|L)['’]\p{Lu}\p{Ll}{2,}$/u.test(w) ||
    /^Ma?c\p{Lu}\p{Ll}{2,}$/u.test(w) ||
    /^(?:Al|El|Abu|Abd|Bin|Ibn|Ben)-\p{Lu}\p{Ll}{2,}$/u.test(w)
  );
}

export type Strength = "stop" | "strong" | "weak" | "unknown";

/**
 * How much a capitalised word says "person": `strong` (a listed name that is not also an
 * everyday word, or name-shaped), `weak` (a listed name that is an everyday word or a two-letter
 * name: Will, Brown, Le), `unknown` (capitalised, unlisted), `stop` (never a name here).
 */
export function strength(w: string): Strength {
  if (STOP.has(w) || STOP.has(titleOf(w))) return "stop";
  if (nameShaped(w)) return "strong";
  // Double-barrelled: Smith-Jones, Jean-Pierre, Campbell-Reid — strong when a part is a listed name.
  if (w.includes("-")) {
    const parts = w.split("-");
    if (parts.every((p) => /^\p{Lu}\p{Ll}+$/u.test(p))) return parts.some((p) => strength(p) === "strong") ? "strong" : "unknown";
    // Min-jun, Seo-yeon: a romanised Korean given name; alone it could be Pre-op or Non-fat.
    if (/^\p{Lu}\p{Ll}{1,3}-\p{Ll}{2,4}$/u.test(w)) return "weak";
    return "unknown";
  }
  if (w.length > 2 && w !== w.toUpperCase() && findDrug(w) !== undefined) return "stop";
  const listed = GIVEN.has(w) || SURNAME.has(w) || GIVEN.has(titleOf(w)) || SURNAME.has(titleOf(w));
  if (!listed) return "unknown";
  if (ORDINARY.has(w) || w.length <= 2) return "weak";
  return "strong";
}

export const isGivenName = (w: string): boolean => GIVEN.has(w);
export const isSurname = (w: string): boolean => SURNAME.has(w);
export const isOrdinary = (w: string): boolean => ORDINARY.has(w);

// ---- Chinese ----

export const ZH_COMPOUND: readonly string[] = zhSurnames.compound;
const ZH_SINGLE = new Set<string>(zhSurnames.single);
const ZH_GIVEN = new Set<string>(zhGiven.chars);

/** Length of the surname `s` starts with: 2 for 欧阳/司马…, 1 for 王/李…, 0 for none. */
export function zhSurnameLen(s: string): number {
  if (ZH_COMPOUND.some((c) => s.startsWith(c))) return 2;
  return ZH_SINGLE.has(s[0] ?? "") ? 1 : 0;
}

export const isZhGivenChar = (c: string): boolean => ZH_GIVEN.has(c);

/**
 * Everyday words that look like surname + given name and that jieba's dictionary tags as person
 * names: 谢谢, 文明, 杨梅 ("thank you", "civilised", "bayberry") must stay text.
 */
export const ZH_NOT_NAMES = new Set(
  (
    "谢谢 麻醉 王道 文明 杨梅 李子 张口 高峰 高明 林立 朱红 金银花 朱古力 王老吉 江湖 郎中 高兴 白天 明天 平安 安康 和平 常常 方便 高潮 高考 黄金 金黄 白金 石林 龙飞凤舞 周全 周到 高超 程序 孔雀 雷雨 江山 万一 钱包 金钱 马上 文化 文学 高山 海洋 安宁 安静 白云 白雪 金华 华丽 严重 严格 夏天 秋天 冬天 春天 夏季 秋季 冬季 春季 林业 景德 元宵 宋体 明星 金星 月亮 宁静 柳树 梅花 兰花 菊花 莲花 桂花 雪花 雷锋 " +
    // Brands named after people or shaped like names (李宁 sportswear, 康师傅 noodles, 同仁堂 pharmacy).
    "李宁 康师傅 同仁堂 胡庆余堂 马应龙 张小泉 王致和 云南白药 片仔癀 娃哈哈 " +
    // Herbs of Chinese medicine that patients ask about with glucose (Chinese Pharmacopoeia 2020 names).
    "杜仲 何首乌 白芍 白术 白芷 当归 黄芪 黄连 黄精 党参 柴胡 葛根 石斛 田七 三七 苦瓜 桑叶 桑白皮 马齿苋 山药 茯苓 丹参 金樱子 枸杞 甘草 苍术 麦冬 玉竹 桂枝 葛粉"
  ).split(" "),
);

// ---- Eponyms, organisations and brands ----

/**
 * Surnames that, standing alone in a patient message, are almost always a disease, sign or test
 * named after its describer (Parkinson's, Hashimoto's, Crohn's): their possessive is the disease,
 * not a person, unless a title says otherwise ("Mr Hashimoto"). Eponyms that are also common
 * surnames (Wilson, Turner, Bell, Down, Paget) are left to the noun that follows ("Bell's palsy").
 * Source: the eponymous diseases, signs and tests of endocrinology, neurology and general
 * medicine (Oxford Handbook of Clinical Medicine, 10th ed. 2017, "Eponymous syndromes").
 */
const EPONYMS = new Set(
  `Parkinson Alzheimer Hashimoto Addison Graves Cushing Crohn Huntington Raynaud Hodgkin Charcot Kussmaul Whipple Somogyi
  Wernicke Korsakoff Guillain Barre Barré Sjogren Sjögren Meniere Ménière Kawasaki Tourette Asperger Buerger Dupuytren
  Peyronie Kaposi Burkitt Hirschsprung Marfan Klinefelter Prader Behcet Behçet Reye Lyme Kimmelstiel Wolfram
  Alport Fabry Gaucher Pompe Niemann Cheyne Trousseau Chvostek Babinski Romberg Tinel Phalen`.split(/\s+/),
);
export const isEponym = (w: string): boolean => EPONYMS.has(w);

/**
 * Companies, brands and institutions named after people that patients mention by name: their
 * words are not a patient's name (Johns Hopkins, Kaiser Permanente, Jenny Craig, Hershey's).
 * Project list; facts only.
 */
const ORG_WORDS = new Set(
  `Permanente Mayo Joslin Sinai Cedars Kettering Karolinska Hershey Kellogg Cadbury Heinz Nestle Nestlé Walgreens Atkins Glucerna
  Nordisk Sanofi Roche Medtronic Ypsomed Bayer Merck Pfizer Boots Guinness Splenda Stevia Benadryl Tylenol Advil Motrin Tesco
  Walmart Costco Starbucks`.split(/\s+/),
);
/** Organisations whose words are also given names or surnames (Craig, Hopkins, Lilly): as a phrase only. */
const ORG_PHRASES = [
  // Places whose words are also names (Hong Kong: Hong + Kong).
  "Hong Kong",
  "Mong Kok",
  "Tsim Sha Tsui",
  "Sha Tin",
  "Kwun Tong",
  "Wan Chai",
  "Tai Po",
  "Tuen Mun",
  "Yuen Long",
  "Kwai Chung",
  "Sham Shui Po",
  "Chiang Mai",
  "Chiang Rai",
  "Ho Chi Minh",
  "Kuala Lumpur",
  "Sri Lanka",
  "Costa Rica",
  "Puerto Rico",
  "San Francisco",
  "Los Angeles",
  "Johns Hopkins",
  "Kaiser Permanente",
  "Jenny Craig",
  "Mount Sinai",
  "Eli Lilly",
  "Novo Nordisk",
  "Weight Watchers",
];
export const isOrgWord = (w: string): boolean => ORG_WORDS.has(w);
export const orgPhraseIn = (s: string): boolean => ORG_PHRASES.some((p) => s.includes(p));

// ---- Pinyin ----

/**
 * Chinese surnames in Hanyu Pinyin (the ~100 most frequent of mainland China and the compound
 * ones of zh-surnames.json): "Li Na", "Wang Xiuying", "ouyang fang".
 */
export const PINYIN_SURNAMES = new Set(
  `wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng deng cao
  peng zeng xiao tian dong yuan pan yu jiang cai du ye cheng su wei lu ding ren shen yao jin fu zhong cui tan liao fan shi jia xia
  qiu fang hou zou xiong meng qin bai yan xue yin duan lei long tao huo kong mao qian hao wan gu lai wen kang niu qi mo hong ning
  ouyang sima zhuge shangguan situ huangfu murong dongfang xiahou`.split(/\s+/),
);
/** Pinyin surnames that are also English words: lower case, they need a cue ("ma", "long", "song"). */
export const PINYIN_ENGLISH = new Set("he ma long fan tan pan ding song sun yu wan gu hong mo lu qi ye du bai jin".split(" "));
const PINYIN_SYLLABLE =
  "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui|un|uo|ve|a|e|i|o|u|v|ü|üe)";
const PINYIN_GIVEN = new RegExp(`^(?:${PINYIN_SYLLABLE}){1,2}$`);
const PINYIN_GIVEN_HYPHEN = new RegExp(`^${PINYIN_SYLLABLE}-${PINYIN_SYLLABLE}$`);
/** A one- or two-syllable pinyin given name (Na, Xiuying, Wing-yan is not pinyin). */
export const isPinyinGiven = (w: string): boolean => {
  const l = w.toLowerCase();
  return l.length <= 12 && (PINYIN_GIVEN.test(l) || PINYIN_GIVEN_HYPHEN.test(l));
};

// ---- Famous and historical people ----

/**
 * Historical figures and public personalities that patients ask about in education questions
 * ("武则天是哪个朝代的皇帝？", "Did Thomas Edison have diabetes?", "Tom Hanks has type 2 — which
 * kind?"). Such a figure is not patient PHI when the sentence is about history, fame or a work;
 * the same name in a patient's own context (胡歌今天血糖 7.2, "患者杜甫") is still redacted.
 * Project list of widely known people (facts only), with the discoverers of insulin and public
 * figures whose diabetes is publicly reported.
 */
const FAMOUS_ZH = new Set(
  `秦始皇 嬴政 汉武帝 刘邦 项羽 武则天 唐太宗 李世民 唐玄宗 杨贵妃 宋徽宗 赵匡胤 朱元璋 朱棣 康熙 雍正 乾隆 慈禧 光绪 溥仪 成吉思汗 忽必烈
  孔子 孟子 老子 庄子 荀子 墨子 韩非子 屈原 司马迁 班固 张衡 祖冲之 李白 杜甫 白居易 王维 李商隐 杜牧 苏轼 苏东坡 李清照 辛弃疾 陆游 王安石 欧阳修 范仲淹 王羲之
  诸葛亮 司马光 曹操 刘备 关羽 张飞 孙权 周瑜 司马懿 吕布 赵云 岳飞 文天祥 郑和 戚继光 林则徐 李鸿章 曾国藩 左宗棠 孙中山 蒋介石 毛泽东 周恩来 邓小平 朱德 刘少奇
  鲁迅 高尔基 托尔斯泰 莎士比亚 爱因斯坦 牛顿 居里夫人 南丁格尔 白求恩 胡适 梁启超 蔡元培 巴金 老舍 郭沫若 钱钟书 张爱玲 金庸 李时珍 张仲景 华佗 孙思邈 扁鹊 钱学森 袁隆平 屠呦呦 杨振宁 李政道 邓稼先
  西施 貂蝉 王昭君 花木兰 孙悟空 猪八戒 唐僧 林黛玉 贾宝玉 宋江 武松 李小龙 成龙 周杰伦 刘德华 邓丽君 姚明 刘翔`.split(/\s+/),
);
const FAMOUS_EN = new Set(
  `Abraham Lincoln|George Washington|Thomas Jefferson|John F. Kennedy|Winston Churchill|Queen Victoria|Queen Elizabeth|Henry VIII|Napoleon|Napoleon Bonaparte|Julius Caesar|Cleopatra|Mahatma Gandhi|Nelson Mandela|Martin Luther King|Albert Einstein|Isaac Newton|Charles Darwin|Thomas Edison|Nikola Tesla|Marie Curie|Galileo|Leonardo da Vinci|Michelangelo|Shakespeare|William Shakespeare|Beethoven|Ludwig van Beethoven|Mozart|Wolfgang Amadeus Mozart|Charles Dickens|Ernest Hemingway|Mark Twain|Elvis Presley|Frederick Banting|Banting|Charles Best|James Collip|John Macleod|Elliott Joslin|Hippocrates|Galen|Avicenna|Tom Hanks|Halle Berry|Nick Jonas|Theresa May|Sonia Sotomayor|Mary Tyler Moore|Jackie Robinson|Aretha Franklin|B.B. King|Larry King|Elizabeth Taylor|Paula Deen|Drew Carey|Steve Redgrave|Gary Hall|Sugar Ray Robinson|Salma Hayek|Sherri Shepherd|Anne Rice|Billie Jean King|Michael Jordan|Oprah Winfrey|Taylor Swift|Beyonce|Beyoncé|Barack Obama|Donald Trump|Joe Biden|Elon Musk|Bill Gates|Steve Jobs`.split(
    "|",
  ),
);
/** A sentence about history, fame or a work: 朝代, 诗人, 晚年, 去世…; president, invented, famous, died… */
const HISTORY_CUE =
  /朝代|皇帝|皇后|女皇|帝王|诗人|词人|作家|文学家|思想家|政治家|军事家|科学家|医学家|历史|古代|古人|秦朝|汉朝|唐代|唐朝|宋代|宋朝|元朝|明朝|明代|清朝|清代|三国|晚年|生前|去世|逝世|死于|驾崩|是谁|传说|据说|相传|著名|名人|明星|歌手|演员|球星|主席|总理|总统|国王|女王|发明|发现了|写的|写过|诗词|小说|电视剧|电影|故事|典故|成语|古方|古籍|经方|名言|名句|《|[“"「]|得过|患过|有没有|是不是|怎么死|死因|\bdid\b.{1,40}\bhave\b|\b(?:had|has|have) (?:diabetes|type [12]|sugar)|\b(?:president|king|queen|emperor|empress|prince|princess|historical|history|century|famous|celebrity|actor|actress|singer|rapper|athlete|author|writer|poet|painter|composer|inventor|invented|discovered|discovery|biography|died|assassinated|novel|movie|film|politician|prime minister)\b/i;

/**
 * Whether the name at [start, end) of `text` is a famous person spoken of as such: the name (or,
 * for a Latin name, the whole span) is listed and its sentence carries a history/fame cue.
 */
export function famousInContext(text: string, start: number, end: number): boolean {
  const name = text.slice(start, end).trim();
  if (!FAMOUS_ZH.has(name) && !FAMOUS_EN.has(name)) return false;
  const from = Math.max(
    0,
    ...[..."。！？!?\n"].map((c) => text.lastIndexOf(c, start - 1) + 1),
    text.slice(0, start).search(/[.](?:\s)(?=[^.]*$)/) + 1,
  );
  const stops = [..."。！？!?\n"].map((c) => text.indexOf(c, end)).filter((i) => i >= 0);
  const to = stops.length > 0 ? Math.min(...stops) + 1 : text.length;
  return HISTORY_CUE.test(text.slice(from, to));
}
