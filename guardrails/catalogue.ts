/**
 * The emergency and urgent symptom catalogue for every organ system (issue 12): a patient's
 * WeChat receives any message, not only diabetes ones, and GlycoPilot must never answer an
 * emergency as routine, whatever the organ system.
 *
 * One table, one row per presentation: the trigger wording in English and Chinese (lay and
 * clinical, colloquial variants), the co-occurring findings it needs (`needs`: every pattern
 * must be asserted somewhere in the message), who it applies to (`who`: infant, child,
 * pregnant, anticoagulated), its urgency and its source. The diabetes red flags of
 * shared/clinical/RULES.md stay in redflags.ts/glycemic.ts; this table is scanned by the same
 * `scanKeywordFlags` with the same negation / history / hypothetical filters.
 * guardrails/CATALOGUE.md lists every row with its source (a test keeps the two in step).
 */
import type { Urgency } from "../core/domain.js";

export type BodySystem =
  | "cardiac"
  | "neuro"
  | "respiratory"
  | "allergy"
  | "infection"
  | "gi"
  | "gu"
  | "pregnancy"
  | "vascular"
  | "eye"
  | "mental-health"
  | "trauma"
  | "toxicology"
  | "paediatric"
  | "metabolic"
  | "general";

/** Whom a row applies to; checked against the message and the patient record. */
export type Subject = "infant" | "child" | "pregnant" | "anticoagulated";

export interface CatalogueRule {
  code: string;
  system: BodySystem;
  urgency: Urgency;
  source: string;
  /** Trigger wording (global regex over normalised, lower-case text). */
  re: RegExp;
  /** Every pattern must also be asserted (not negated, not past history) somewhere in the message. */
  needs?: RegExp[];
  who?: Subject;
  /** Rejects a match given its clause, the matched text, the clause text before it and its sentence. */
  reject?: (clause: string, match: string, before: string, sentence: string) => boolean;
  /** Only negation removes the match (history/hypothetical framing does not). */
  negationOnly?: boolean;
}

export const CAT_SRC = {
  nhs999: "NHS: when to call 999 / go to A&E",
  aha: "AHA/ASA BE-FAST stroke recognition",
  sah: "NHS: subarachnoid haemorrhage (sudden severe headache) — call 999",
  meningitis: "NICE NG240 (bacterial meningitis) / NHS meningitis — call 999",
  sepsis: "NICE NG51 (sepsis) high-risk criteria",
  ng143: "NICE NG143 (fever in under-5s) red features",
  gina: "GINA 2024 (severe asthma exacerbation) / NHS asthma attack — call 999",
  copd: "NICE NG115 (COPD exacerbation)",
  ng138: "NICE NG138 / BTS oxygen targets (SpO2 < 92% → hospital assessment); NEWS2",
  anaphylaxis: "Resuscitation Council UK 2021 (anaphylaxis)",
  choking: "Resuscitation Council UK (choking; foreign-body airway obstruction)",
  epiglottitis: "NHS: epiglottitis — call 999",
  malaria: "NHS / UKHSA: malaria after travel is a medical emergency",
  tick: "NHS: tick-borne illness (fever and rash after a tick bite); NICE NG95",
  tetanus: "NHS: tetanus — go to A&E",
  gibleed: "NICE CG141 (upper GI bleeding) / NHS vomiting blood — call 999",
  diarrhoea: "NHS: diarrhoea and vomiting — A&E for bloody diarrhoea",
  abdomen: "NHS: stomach ache — call 999 for sudden severe pain; appendicitis",
  renal: "NHS: kidney stones — A&E for severe pain with fever or vomiting",
  retention: "NHS: urinary retention (acute) — go to A&E",
  torsion: "NHS: testicle pain — go to A&E for sudden severe pain (torsion)",
  ectopic: "NHS: ectopic pregnancy — call 999 for sudden sharp pain, shoulder-tip pain, fainting",
  pregnancyBleed: "NHS: bleeding or pain in pregnancy — contact maternity unit",
  fetal: "RCOG: reduced fetal movements — contact the maternity unit immediately",
  preeclampsia: "NICE NG133 / NHS pre-eclampsia — call maternity unit / 999",
  dvt: "NICE NG158 (suspected DVT — assessment within 4 hours)",
  pe: "NICE NG158 (suspected pulmonary embolism)",
  ischaemia: "ESVS 2020 acute limb ischaemia (pain, pallor, pulselessness, coldness)",
  aaa: "NHS: abdominal aortic aneurysm — call 999 for sudden severe tummy or back pain",
  glaucoma: "NHS: acute angle-closure glaucoma — go to A&E",
  retina: "NHS: detached retina — go to A&E (shadow or curtain across the vision)",
  floaters: "RCOphth / College of Optometrists: new flashes or floaters — same-day eye assessment",
  eye: "NHS: eye injuries and chemicals in the eye — go to A&E",
  poisoning: "NHS: poisoning / overdose — call 999 or go to A&E",
  selfHarm: "NICE NG225 (self-harm) / NHS mental health crisis",
  headInjury: "NICE NG232 (head injury; anticoagulated → CT within 8 hours)",
  bleeding: "NHS: call 999 for heavy bleeding that won't stop",
  esc: "ESC 2021 syncope / palpitations red flags",
  htn: "ACC/AHA 2017 hypertension (hypertensive emergency ≥ 180/120 with symptoms)",
  news2: "RCP NEWS2 (single-parameter red scores)",
  cauda: "NICE CKS: cauda equina syndrome — A&E",
  generic: "NHS 111: new, worsening or severe symptoms need assessment",
  acs: "NHS: heart attack symptoms (sweating, breathlessness, feeling sick, pain spreading to arm, jaw, back); ESC 2023 ACS (atypical presentation in women, older people and diabetes)",
  shockBleed: "NHS: call 999 for heavy bleeding with feeling faint, dizzy or clammy; ATLS haemorrhagic shock",
  diagnosis:
    "ESI Handbook v4 (ESI level 1–2: time-critical diagnoses) / NHS 999 and A&E conditions — a referral or note naming the diagnosis",
  ruptured: "NHS: call 999 — ruptured aneurysm, ectopic pregnancy, appendix or spleen (diagnosis-labelled referrals)",
} as const;

const HAN_STOP = "[^，。,；;！!？?\\s]";
/** Like HAN_STOP but a space may sit inside the gap (WeChat writes spaces for commas). */
const HAN_GAP = "[^，。,；;！!？?]";
const near = (a: string, b: string, gap = 25) =>
  `(?:${a})[^.;!?。！？]{0,${gap}}(?:${b})|(?:${b})[^.;!?。！？]{0,${gap}}(?:${a})`;
const rx = (...parts: string[]) => new RegExp(parts.join("|"), "g");

// Shared vocabulary (normalised, lower-case).
const FEVER =
  "(?<!hay )fever\\w*|febrile|high temp\\w*|temperature of|temp of|(?:3[89]|4[01])(?:\\.\\d)?\\s*(?:°\\s*c|℃|c\\b|degrees)|10[0-5](?:\\.\\d)?\\s*(?:°\\s*f|f\\b|degrees)|发烧|发热|高烧|高热|烧到|体温(?:3[89]|4[01])";
const SEVERE =
  "severe|severely|excruciating|unbearable|agoni[sz]ing|terrible|horrible|worst|really bad|very bad|extreme|intense|crippling|can'?t stand|剧烈|剧痛|很厉害|非常痛|特别疼|特别痛|疼得厉害|痛得厉害|受不了|难以忍受|疼死|痛死|打滚|刀割";
/** A rescue treatment that is not working (GINA 2024 / NHS: "your reliever inhaler is not helping" → 999). */
const FAILS =
  "not (?:helping|working|doing (?:anything|much|a thing))|isn'?t (?:helping|working|doing (?:anything|much|a thing))|isnt (?:helping|working|doing (?:anything|much))|does nothing|did nothing|(?:doesn'?t|didn'?t|won'?t|wont|doesnt|didnt) (?:help|work|do anything|touch it)|not making (?:a |any )?difference|no (?:help|relief|difference|effect|use)|useless|not touching it";
const SUDDEN = "sudden\\w*|all of a sudden|out of nowhere|came on (?:fast|quickly)|abrupt\\w*|突然|猛地|一下子";

/** One swollen, painful calf or leg (NICE NG158 DVT wording, lay and clinical). */
const DVT_RE = rx(
  "one (?:leg|calf) (?:is )?(?:much |a lot |way )?(?:bigger|larger|fatter|thicker|more swollen) than the other|" +
    near(
      "(?:calf|calves|one leg|(?:left|right) leg|lower leg|thigh)",
      "swollen|swelling|swell\\w*|(?:red|hot|warm)[^.]{0,10}(?:pain\\w*|tender|sore|hurts)|tender|throbbing",
      25,
    ) +
    "|\\bdvt\\b|deep vein|blood clot in (?:my|his|her|the) (?:leg|calf)",
  `(?:小腿|一条腿|左腿|右腿|腿肚子|大腿)${HAN_STOP}{0,6}(?:肿|红肿|胀痛|又红又肿|发热)|深静脉血栓|下肢血栓`,
);

/** Non-diabetes emergencies and urgents, every organ system. */
export const CATALOGUE: CatalogueRule[] = [
  // ── Cardiac ────────────────────────────────────────────────────────────────
  {
    code: "palpitations-red-flag",
    system: "cardiac",
    urgency: "emergency",
    source: CAT_SRC.esc,
    re: rx(
      near(
        "palpitation\\w*|heart (?:is )?(?:racing|pounding|fluttering|beating (?:really |very |so )?fast)|racing heart|heart rate (?:is )?(?:very |really )?(?:high|fast)",
        "dizz\\w*|faint\\w*|light-?headed|pass(?:ed|ing)? out|black(?:ed|ing)? out|short(?:ness)? of breath|breathless|chest",
      ),
      near("心慌|心悸|心跳(?:很|特别|非常)?(?:快|乱)|心跳过速", "头晕|晕|眼前发黑|黑蒙|喘不上气|呼吸困难|胸闷|胸痛", 12),
    ),
  },
  {
    code: "cardiac-arrest",
    system: "cardiac",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: /not breathing|stopped breathing|no pulse|isn'?t breathing|没有?呼吸了|没气了|心跳停了|没有心跳/g,
  },
  // ── Neuro ──────────────────────────────────────────────────────────────────
  {
    code: "stroke-signs",
    system: "neuro",
    urgency: "emergency",
    source: CAT_SRC.aha,
    re: rx(
      "facial (?:droop\\w*|weakness|palsy)|face (?:is |was |has )?(?:drooping|droops|droopy|drooped|fallen|dropped|lopsided|uneven)|droop\\w* (?:of )?(?:the |his |her |my )?(?:face|mouth|smile|eyelid and mouth)|(?:mouth|smile) (?:is )?(?:drooping|droopy|crooked|lopsided|uneven)|one side of (?:my|his|her|the) face|(?:left|right)[- ]sided (?:weakness|numbness|paralysis|facial)|(?:weakness|numbness|paralysis) (?:on|of|in) (?:the )?(?:one|left|right) side|(?:left|right) (?:arm|leg|hand|side) (?:is |went |feels |suddenly |has gone |became )*(?:weak|numb|limp|dead|heavy|paralys\\w*)|hemipar\\w*|hemipleg\\w*|(?:can'?t|cannot|unable to) (?:lift|raise|move) (?:my|his|her|their|the|one) (?:left |right )?(?:arm|leg|hand)|arm (?:drift|drifting)|dysphasi\\w*|aphasi\\w*|dysarthri\\w*|(?:trouble|difficulty|problems?) (?:speaking|talking|finding words|getting (?:his|her|my|the) words out)|words (?:are |were )?(?:coming out )?(?:jumbled|garbled|wrong|mixed up)|(?:speech|talking|voice|words) (?:is |was |are |were |became |has been |have been |sounds? )?(?:all |really |very |a bit |suddenly )?(?:garbled|jumbled|muddled|strange|weird|off|nonsense)|(?:keeps? |kept )?dropping (?:things|her \\w+|his \\w+|my \\w+)[^.]{0,20}(?:with )?(?:her |his |my |the )?(?:right|left|one) (?:hand|arm)|\\btia\\b|mini[- ]?stroke|transient isch\\w*|" +
        near(
          SUDDEN,
          "loss of balance|lost (?:my |his |her )?balance|can'?t walk straight|(?:double|blurred) vision|seeing double|trouble walking|can'?t (?:stand|walk)|dizz\\w*[^.]{0,20}(?:can'?t walk|falling)",
          30,
        ) +
        "",
      "突然.{0,6}(?:口齿不清|说话不利索|说话不清楚|大舌头|说不清|走路不稳|站不稳|半边|一侧|一边)|半边(?:身子|身体|脸|手脚)" +
        HAN_STOP +
        "{0,4}(?:没劲|没力|无力|麻|不听使唤|动不了|不能动)|一侧(?:肢体|手脚|身体)" +
        HAN_STOP +
        "{0,4}(?:无力|麻木|没劲|不能动)|突然" +
        HAN_GAP +
        "{0,6}(?:看东西重影|重影|复视|站不稳|走不稳|走路不稳|头晕站不住)|偏瘫|口角歪斜|嘴角(?:下垂|歪)|脸(?:一边|半边)" +
        HAN_STOP +
        "{0,3}(?:掉|垂|歪|麻)|面部(?:下垂|歪斜|麻木)|说话(?:大舌头|不利索|含含糊糊)|言语含糊|失语|说话(?:乱七八糟|颠三倒四|前言不搭后语|语无伦次)" +
        HAN_GAP +
        "{0,12}(?:突然|手|拿不住|脸|嘴)|(?:左|右|一只)手" +
        HAN_STOP +
        "{0,4}(?:拿不住|拿不稳|握不住)|短暂性脑缺血|小中风",
    ),
  },
  {
    code: "thunderclap-headache",
    system: "neuro",
    urgency: "emergency",
    source: CAT_SRC.sah,
    re: rx(
      "worst headache|thunderclap|headache[^.]{0,25}(?:worst|like (?:being hit|a hammer|a bomb|an explosion))|" +
        near(
          SUDDEN,
          "(?:severe |bad |intense |excruciating |terrible )?headache|head pain|head (?:is )?(?:exploding|killing)",
          20,
        ) +
        "|" +
        near("severe|excruciating|explosive|terrible", "headache", 8) +
        "[^.]{0,40}(?:" +
        SUDDEN +
        "|vomit\\w*|stiff neck|passed out|collapse\\w*)",
      "突然" +
        HAN_STOP +
        "{0,6}(?:剧烈|炸裂|爆炸)?(?:头痛|头疼)" +
        HAN_STOP +
        "{0,4}(?:剧烈|欲裂|得厉害|受不了|炸)|头痛欲裂|头(?:像|好像)?(?:要)?炸(?:开|裂|了)|从来?没(?:有)?这么(?:疼|痛)过|这辈子最(?:严重|厉害)的头痛|雷击样头痛",
    ),
  },
  {
    code: "meningitis-signs",
    system: "neuro",
    urgency: "emergency",
    source: CAT_SRC.meningitis,
    re: rx(
      "stiff neck|neck (?:is |feels |was )?(?:stiff|rigid|sore and stiff)|can'?t (?:bend|touch|move) (?:his|her|my|their) (?:neck|chin to (?:his|her|my) chest)|photophobi\\w*|light (?:hurts|bothers|is hurting) (?:my|his|her|their) eyes|(?:sensitive|sensitivity) to (?:the )?light|can'?t (?:stand|bear|tolerate) (?:the )?(?:light|bright)|neck stiffness|meningism",
      "脖子(?:硬|僵|发硬|发僵|很硬)|颈(?:部|项)?(?:强直|发硬|僵硬|抵抗)|怕光|畏光|见光(?:难受|疼)",
    ),
    needs: [rx(FEVER, "headache|head ?ache|vomit\\w*|rash|drowsy|confus\\w*|头痛|头疼|呕吐|皮疹|嗜睡|迷糊")],
  },
  {
    code: "non-blanching-rash",
    system: "infection",
    urgency: "emergency",
    source: CAT_SRC.meningitis,
    re: rx(
      "(?:rash|spots|marks|dots|blotches|bruises)[^.]{0,20}(?:do ?n[o']?t|don'?t|does ?n[o']?t|doesn'?t|won'?t|didn'?t|did not|does not|not) (?:fade|go away|disappear|blanch)|non-?blanching|glass (?:test|tumbler)[^.]{0,30}(?:still|doesn'?t|didn'?t|not) (?:fade|see)|purpur\\w*|petechia\\w*|pin-?prick (?:rash|spots)",
      "(?:皮疹|疹子|红点|出血点|紫斑|点)" +
        HAN_GAP +
        "{0,8}(?:压不褪|按压不褪|不褪色|压了不消|按了不消)|(?:按|压)(?:了|一下)?(?:也)?不褪色|不褪色的(?:点|疹|斑)|瘀斑|紫癜",
    ),
  },
  {
    code: "seizure",
    system: "neuro",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: /\bfits?\b(?: again| for| lasting)|(?:had|having|has|took) (?:a |another )?fits?\b|fitting|shaking all over|jerking (?:all over|uncontrollably)|status epilepticus|(?:first|new) (?:ever )?seizure|癫痫发作|羊癫疯/g,
  },
  {
    code: "head-injury-anticoagulant",
    system: "trauma",
    urgency: "emergency",
    source: CAT_SRC.headInjury,
    who: "anticoagulated",
    re: rx(
      "(?:hit|bang\\w*|bump\\w*|knock\\w*|struck|injur\\w*|hurt) (?:my|his|her|their|the) head|head (?:injury|trauma|knock|bump)|fell[^.]{0,30}(?:head|face)|fall[^.]{0,20}(?:head|hit)",
      `(?:撞|磕|碰|摔)(?:到|了|伤|破)?${HAN_STOP}{0,3}(?:头|脑袋|头部)|头部(?:外伤|受伤|撞伤)|摔倒`,
    ),
  },
  {
    code: "head-injury-red-flag",
    system: "trauma",
    urgency: "emergency",
    source: CAT_SRC.headInjury,
    re: rx(
      near(
        "(?:hit|bang\\w*|bump\\w*|knock\\w*|struck|injur\\w*) (?:my|his|her|their|the) head|head (?:injury|trauma)|fell[^.]{0,20}head",
        "vomit\\w*|threw up|knocked out|passed out|unconscious|drowsy|sleepy|confus\\w*|seizure|blood (?:from|in) (?:the |his |her )?(?:ear|nose)|clear fluid",
        40,
      ),
      near(`(?:撞|磕|碰|摔)(?:到|了|伤)?${HAN_STOP}{0,3}(?:头|脑袋)`, "呕吐|吐了|昏迷|晕过去|嗜睡|想睡|迷糊|耳朵出血|鼻子流", 20),
    ),
  },
  {
    code: "cauda-equina",
    system: "neuro",
    urgency: "emergency",
    source: CAT_SRC.cauda,
    re: rx(
      near(
        "back pain|sciatica",
        "numb\\w*[^.]{0,20}(?:groin|bottom|buttocks|saddle|genitals|between (?:my|the) legs)|(?:can'?t|cannot|unable to) (?:pee|urinate|control (?:my )?(?:bladder|bowels))|(?:lost|losing|loss of) (?:bladder|bowel) control|incontinen\\w*",
        60,
      ),
      "saddle (?:numbness|anaesthesia|anesthesia)",
      near(
        "腰痛|腰疼|腰椎|坐骨神经",
        "会阴" +
          HAN_GAP +
          "{0,8}麻|排尿困难|大小便(?:失禁|控制不住|憋不住)|(?:大便|小便)(?:失禁|控制不住)|尿不出|会阴(?:部)?麻木|屁股麻|两条腿都(?:发)?麻",
        20,
      ),
    ),
  },
  // ── Respiratory ────────────────────────────────────────────────────────────
  {
    code: "severe-breathlessness",
    system: "respiratory",
    urgency: "emergency",
    source: CAT_SRC.gina,
    re: rx(
      `(?:inhaler|reliever|puffer|ventolin|salbutamol|albuterol|nebuli[sz]er)[^.]{0,30}(?:${FAILS}|used it (?:\\d+|ten|twenty|loads of|lots of|so many) times|every (?:few |couple of |\\d+ )?minutes|every (?:single |half an |1 |one )?hour\\b)|(?:not|no longer) (?:helping|working)[^.]{0,20}(?:inhaler|reliever|puffer)`,
      "(?:can'?t|cannot|couldn'?t|unable to|struggl\\w* to) (?:finish|complete|say|speak in|talk in) (?:a |full |whole |my |his |her )?(?:sentences?|words)|(?:lips?|face|fingers?|fingertips|tongue|skin) (?:are |is |turning |turned |going |went |gone |has gone |have gone |look\\w* |a bit |slightly |quite |very )*(?:blue|bluish|blueish|grey|gray|greyish|purple|dusky)|(?:blue|bluish|dusky) (?:lips|fingertips|around the (?:mouth|lips))|cyano\\w*|gasping|fighting for (?:breath|air)|(?:ribs|chest|tummy|skin) (?:is )?(?:sucking|pulling) in|nostrils flar\\w*|grunting|stridor|(?:severe|bad|terrible) (?:asthma attack|wheez\\w*)|asthma attack[^.]{0,30}(?:not|won'?t|can'?t|worse)",
      near(SUDDEN, "short(?:ness)? of breath|breathless|can'?t breathe|struggling to breathe|trouble breathing", 20),
      "突然" +
        HAN_GAP +
        "{0,6}(?:呼吸(?:很|特别|非常)?困难|喘不上气|喘不过气|上不来气|大口喘气)|大口(?:大口)?喘气|(?:喷雾|气雾剂|吸入剂|万托林|沙丁胺醇|喷了)" +
        HAN_STOP +
        "{0,10}(?:不管用|没用|没效|不起作用|缓解不了|不见好)|说不出(?:完整的)?(?:话|句子)|话都说不全|嘴唇(?:发紫|发青|发乌|青紫)|(?:脸|嘴|脸色|手指|指甲)(?:发紫|发青|青紫|发乌)|憋得(?:脸|嘴)?(?:发紫|发青|说不出话)|三凹征|喘鸣|吸气性呼吸困难",
    ),
  },
  {
    code: "dyspnoea-worsening",
    system: "respiratory",
    urgency: "urgent",
    source: CAT_SRC.copd,
    re: rx(
      "(?:inhaler|reliever|puffer|ventolin|salbutamol|albuterol)[^.]{0,30}(?:every (?:[2-4]|two|three|four) hours|more (?:often|than usual)|all the time)|dyspn(?:o)?ea\\w*|breathless\\w*|short(?:ness)? of breath|out of breath|winded|wheez\\w*|copd (?:flare|exacerbation|attack)|asthma (?:flare|is (?:worse|bad|playing up))|(?:can'?t|cannot|struggl\\w* to|hard to|trouble|difficulty) (?:catch(?:ing)? (?:my|his|her) )?breath",
      "气短|气促|气喘|喘得厉害|喘不上气|喘不过气|呼吸困难|上不来气|哮喘(?:发作|加重)|慢阻肺(?:发作|加重)|憋气|胸闷气短",
    ),
    // Breathlessness on exertion that is not new or worse is a routine question (NICE NG115 stable COPD / deconditioning).
    reject: (clause) =>
      /used to|walk\w*|stairs|climb\w*|exercis\w*|running|\brun\b|jog\w*|hills?\b|gym|exert\w*|走路|爬楼|上楼|运动|跑步|干活/.test(
        clause,
      ) &&
      !/worse|worsening|more (?:and more )?breathless|new|sudden\w*|at rest|even (?:when|sitting|lying)|越来越|加重|突然|休息|坐着|躺着/.test(
        clause,
      ),
  },
  {
    code: "choking-foreign-body",
    system: "respiratory",
    urgency: "emergency",
    source: CAT_SRC.choking,
    re: rx(
      "choking|choked on|(?:inhaled|breathed in|swallowed|aspirated)[^.]{0,25}(?:peanut|nut|coin|toy|bead|button|lego|piece|bone|grape|battery|magnet|small)[^.]{0,40}(?:cough\\w*|wheez\\w*|breath\\w*|chok\\w*|gag\\w*)|(?:peanut|coin|bead|toy|bone|grape)[^.]{0,20}(?:stuck|went down the wrong way)|something (?:stuck|caught) in (?:his|her|my|their) (?:throat|windpipe)|foreign body",
      "噎住|呛住|卡住了?" +
        HAN_STOP +
        "{0,6}(?:喘|咳|呼吸|说不出)|(?:花生|豆子|硬币|果冻|鱼刺|骨头|玩具|纽扣电池)" +
        HAN_STOP +
        "{0,8}(?:卡|呛|吸进|噎)",
    ),
  },
  {
    code: "epiglottitis-airway",
    system: "respiratory",
    urgency: "emergency",
    source: CAT_SRC.epiglottitis,
    re: rx(
      "drool\\w*[^.]{0,40}(?:can'?t|cannot|unable to|won'?t) swallow|(?:can'?t|cannot|unable to) swallow (?:his |her |my |their )?(?:own )?(?:saliva|spit)|muffled voice|voice (?:is |was |sounds? )?(?:muffled|like (?:he|she|i) (?:has|have) a hot potato)|hot potato voice|tripod\\w*|sitting (?:forward|up) to breathe|epiglottitis|quinsy|peritonsillar abscess|drool\\w*[^.]{0,40}(?:noisy breathing|muffled|stridor|hurts to swallow|can'?t open)|(?:can'?t|cannot|unable to) open (?:his |her |my |their )?mouth[^.]{0,30}(?:throat|swallow|drool)",
      near("流口水", "咽不下|吞不下|吞咽困难|咽不了", 12) +
        "|流口水" +
        HAN_STOP +
        "{0,8}(?:咽不下|吞不下)|口水都咽不下|咽不下口水|声音(?:闷|含糊)" +
        HAN_STOP +
        "{0,6}(?:喘|呼吸)|会厌炎|扁桃体周围脓肿|张口困难" +
        HAN_GAP +
        "{0,30}(?:吞咽|口水|声音含糊)|吞咽口水困难|(?:口水|唾液)(?:都)?(?:咽不下|吞不下|吞咽困难)|不(?:肯|能)吞咽" +
        HAN_GAP +
        "{0,12}(?:前倾|喘|流口水)",
    ),
  },
  // ── Allergy ────────────────────────────────────────────────────────────────
  {
    code: "anaphylaxis",
    system: "allergy",
    urgency: "emergency",
    source: CAT_SRC.anaphylaxis,
    re: rx(
      "anaphyla\\w*|(?:throat|tongue|lips?|mouth|face|eyes?|eyelids?|airway) (?:is |are |was |were |feels? |has |have |started |starting |keeps? |tingling and |itchy and |getting |going )*(?:swell\\w*|swollen|puff\\w* up|closing|tight\\w*|blown up)|swell\\w* (?:of|in|up) (?:my|his|her|the) (?:throat|tongue|lips?|face|mouth)|swollen (?:throat|tongue|lips?|face)|throat (?:is )?closing|(?:used|gave|give|needed|had to use) (?:an |my |his |her |the )?(?:epi-?pen|adrenaline|epinephrine|jext|emerade)|allergic reaction[^.]{0,40}(?:breath\\w*|swell\\w*|wheez\\w*|faint\\w*|dizz\\w*|throat)|(?:hives|rash)[^.]{0,30}(?:can'?t breathe|breathing|throat|wheez\\w*|faint\\w*)",
      "(?:喉咙|嗓子|喉头|舌头|嘴唇|嘴巴|脸|眼皮)" +
        HAN_STOP +
        "{0,3}(?:肿|水肿|发紧|堵住|憋)|过敏" +
        HAN_STOP +
        "{0,12}(?:呼吸困难|喘不上气|喉咙|嗓子|头晕|晕倒|肿)|过敏性休克|严重过敏|肾上腺素笔",
    ),
    // 嘴唇不肿 / 舌头没肿: a negator inside the Chinese phrase denies the swelling.
    reject: (clause, m) =>
      /sore throat|swollen (?:glands|tonsils|lymph)|glands|tonsil|扁桃体|淋巴/.test(clause) ||
      /(?:不|没|没有|无)(?:肿|水肿|发紧)/.test(m),
  },
  // ── Infection / sepsis / fever ────────────────────────────────────────────
  {
    code: "sepsis-signs",
    system: "infection",
    urgency: "emergency",
    source: CAT_SRC.sepsis,
    re: rx(
      "mottled|(?:skin|lips|tongue) (?:is |are |looks? )?(?:ashen|blotchy|grey|gray|pale blue)|sepsis|septic|(?:rigors|shaking chills|uncontrollable shivering|shivering uncontrollably|shaking uncontrollably|uncontrollable shaking|can'?t stop shaking)[^.]{0,40}(?:confus\\w*|drowsy|faint\\w*|can'?t stand|very unwell|not (?:passed|peed)|breath\\w*)|(?:haven'?t|hasn'?t|not) (?:passed (?:any )?urine|peed|urinated|had a wee)[^.]{0,20}(?:all day|since|for (?:a (?:whole |full )?day|18|24|\\d+ hours)|in (?:a day|24 hours))|feel(?:s|ing)? like (?:i'?m|he'?s|she'?s|they'?re) going to die|(?:chemo\\w*|chemotherapy|neutropeni\\w*)[^.]{0,40}(?:fever|temperature|temp\\b|3[89](?:\\.\\d)?|shiver\\w*|rigor\\w*)|(?:fever|temperature|temp\\b|shiver\\w*)[^.]{0,30}(?:on|after|having|during) (?:my |his |her )?(?:chemo\\w*|chemotherapy)",
      "败血症|脓毒症|感染性休克|寒战" +
        HAN_GAP +
        "{0,8}(?:意识|迷糊|糊涂|站不起|尿(?:很|特别|非常)?少|没(?:有)?尿|心跳(?:很|特别|非常)?快|心慌|人(?:很|特别)?虚|喘)|化疗" +
        HAN_GAP +
        "{0,12}(?:发烧|发热|高烧)|一整天没(?:有)?(?:尿|小便)|皮肤(?:发花|花斑)",
    ),
  },
  {
    code: "fever-infant-under-3-months",
    system: "paediatric",
    urgency: "emergency",
    source: CAT_SRC.ng143,
    who: "infant",
    re: new RegExp(FEVER, "g"),
  },
  {
    code: "child-red-features",
    system: "paediatric",
    urgency: "emergency",
    source: CAT_SRC.ng143,
    re: rx(
      "floppy|limp (?:baby|child|and)|(?:won'?t|can'?t|not|isn'?t|hard to) (?:wake|rouse)|(?:high[- ]pitched|weak|continuous) cry\\w*|bulging (?:fontanel|soft spot)|not feeding[^.]{0,30}(?:drowsy|sleepy|floppy)|no wet (?:nappy|nappies|diapers?)|(?:very|really|so|unusually) (?:sleepy|drowsy)[^.]{0,20}(?:baby|child|toddler)|(?:baby|child|toddler|he|she)(?:'s| is)? (?:very|really|unusually) (?:sleepy|drowsy)",
      `(?:宝宝|孩子|婴儿|小孩|儿子|女儿|闺女)${HAN_GAP}{0,8}(?:软绵绵|叫不醒|叫不太醒|不吃奶|哭声(?:尖|弱)|囟门(?:鼓|凸)|昏昏欲睡|嗜睡|精神(?:很|特别|非常|极)差|一直(?:在)?昏睡|昏睡)|囟门(?:鼓起|凸起|膨出)`,
    ),
    // A habit ("平时嗜睡", "always sleepy") is not a change in the child.
    reject: (clause) => /平时|经常|总是|老是|一向|always|usually|normally/.test(clause),
  },
  {
    code: "fever-after-travel",
    system: "infection",
    urgency: "emergency",
    source: CAT_SRC.malaria,
    re: new RegExp(`${FEVER}|chills|shiver\\w*|rigors|寒战|打摆子`, "g"),
    needs: [
      rx(
        "(?:back|came back|returned|home|just got back|flew back|travel\\w*|trip|visit\\w*|holiday|vacation)[^.]{0,40}(?:africa|nigeria|ghana|kenya|uganda|tanzania|congo|cameroon|malawi|mozambique|zambia|sierra leone|ivory coast|mali|sudan|ethiopia|india|pakistan|bangladesh|indonesia|papua|cambodia|myanmar|thailand|vietnam|brazil|amazon|tropic\\w*|malaria\\w*)|(?:africa|nigeria|ghana|kenya|uganda|tanzania|congo|cameroon|india|tropic\\w*|malaria\\w*)[^.]{0,30}(?:trip|travel|holiday|visit|last week|ago|returned|came back|back)|malaria",
        "(?:从|刚从|去了?|在)(?:非洲|尼日利亚|加纳|肯尼亚|坦桑尼亚|刚果|安哥拉|乌干达|赞比亚|东南亚|印度|缅甸|柬埔寨|老挝|巴布亚|热带)|(?:非洲|东南亚|印度|热带)" +
          HAN_STOP +
          "{0,6}(?:回来|回国|出差|旅游)|疟疾",
      ),
    ],
  },
  {
    code: "tick-fever-rash",
    system: "infection",
    urgency: "emergency",
    source: CAT_SRC.tick,
    re: rx("tick (?:bite|bit)|bitten by a tick|\\btick\\b", "蜱虫|草爬子|被蜱"),
    needs: [new RegExp(FEVER, "g"), rx("rash|spots|headache|红疹|皮疹|疹子|头痛")],
  },
  {
    code: "tick-bite-rash-or-fever",
    system: "infection",
    urgency: "urgent",
    source: CAT_SRC.tick,
    re: rx("tick (?:bite|bit)|bitten by a tick|\\btick\\b", "蜱虫|草爬子|被蜱"),
    needs: [rx(FEVER, "rash|bull'?s-?eye|red (?:ring|circle|patch)|red (?:spots?|area)|flu-?like|红疹|皮疹|疹子|红斑|红圈")],
  },
  {
    code: "tetanus",
    system: "infection",
    urgency: "emergency",
    source: CAT_SRC.tetanus,
    re: rx(
      "lock-?jaw|trismus|tetanus[^.]{0,30}(?:symptom|sign|spasm|stiff|jaw)|jaw (?:is |feels |has )?(?:stiff|locked|tight|clenched|cramp\\w*)|(?:can'?t|cannot|unable to) open (?:my|his|her|their) mouth|(?:stiff|tight) jaw|muscle spasms?[^.]{0,40}(?:after|since)[^.]{0,20}(?:cut|wound|nail|bite|injury|scratch)",
      `牙关紧闭|张不开嘴|嘴张不开|下巴(?:发紧|僵硬)|破伤风${HAN_STOP}{0,8}(?:症状|抽|痉挛|僵硬)`,
    ),
  },
  // ── GI ─────────────────────────────────────────────────────────────────────
  {
    code: "gi-bleeding",
    system: "gi",
    urgency: "emergency",
    source: CAT_SRC.gibleed,
    re: rx(
      "(?:vomit\\w*|threw up|throwing up|been sick)[^.]{0,30}\\bblood\\b|(?:vomit\\w*|threw up|throwing up|coughing up|cough\\w* up|spitting up|bringing up) (?:up )?(?:bright red |dark |fresh |some |a lot of |lots of )?(?:blood|something like coffee grounds|coffee[- ]grounds?)|(?:blood|bloody) vomit|haematemesis|hematemesis|coffee[- ]ground\\w*|(?:black|tarry|tar-like|jet black)[^.]{0,12}(?:stools?|poo+p?|bowel movements?|faeces|feces|diarrh\\w*)|(?:stools?|poo+p?) (?:is |are |was |were |looks? )?(?:black|tarry|like tar)|mela?ena|(?:lots of|a lot of|loads of|large amount of|heavy|pouring|so much) (?:bright red )?blood[^.]{0,30}(?:bottom|rectum|back passage|toilet|loo|stool|poo)|(?:bleeding|blood) (?:from (?:my|his|her) (?:bottom|rectum|back passage))[^.]{0,30}(?:a lot|heavy|won'?t stop|dizzy|faint)",
      "大便" +
        HAN_STOP +
        "{0,3}(?:全是|都是|很多|大量)血|吐血|呕血|咳血|咯血|吐(?:出|了)?" +
        HAN_STOP +
        "{0,3}(?:血|咖啡色|咖啡渣)|黑便|柏油(?:样)?便|拉(?:了)?(?:好多|很多|大量|一摊|一堆)血|大便(?:发黑|是黑的|黑色|漆黑|像柏油)|拉黑(?:色)?(?:的)?(?:大便|屎)|便血" +
        HAN_STOP +
        "{0,6}(?:很多|大量|不止|头晕)|大量便血",
    ),
    reject: (clause, m) => /iron|bismuth|pepto|blueberr|liquorice|licorice|铁剂|铋/.test(clause) && /black|黑/.test(m),
  },
  {
    code: "bloody-diarrhoea",
    system: "gi",
    urgency: "emergency",
    source: CAT_SRC.diarrhoea,
    re: rx(
      "bloody (?:diarrh\\w*|stools?|poo+p?)|(?:diarrh\\w*|stools?|poo+p?)[^.]{0,20}(?:with|full of|has|had|containing) (?:some )?blood|blood in (?:his|her|my|their|the) (?:diarrh\\w*|stools?|poo+p?|nappy|diaper)|(?:diarrh\\w*) (?:is |was )?(?:bloody|red)",
      `(?:拉|腹泻|拉肚子)${HAN_STOP}{0,6}(?:带血|血便|有血|血水)|血(?:样|性)?(?:腹泻|便)(?!糖)|大便(?:带血|有血|里有血)`,
    ),
  },
  {
    code: "severe-abdominal-pain",
    system: "gi",
    urgency: "emergency",
    source: CAT_SRC.abdomen,
    re: rx(
      `(?:肚子|腹部|小腹)[^。！？!?]{0,16}(?:硬邦邦|硬得像木板|像木板一样硬)|板状腹`,
      near(
        `${SEVERE}|${SUDDEN}`,
        "(?:abdominal|stomach|tummy|belly|abdomen|pelvic|lower back|flank|loin|side)(?: and (?:back|lower back|chest|flank|side|groin))? (?:pain|ache|cramps?)|pain in (?:my|his|her|the) (?:abdomen|stomach|tummy|belly|side|lower back|flank|pelvis)|(?:stomach|tummy|belly|abdomen) (?:is )?(?:hurts|hurting|killing)",
        20,
      ),
      "pain[^.]{0,30}(?:moved|moving|spread|went) (?:down )?to (?:the |my |his |her )?(?:lower )?right|right lower (?:quadrant|abdomen|side)|(?:rlq|right iliac fossa) pain|rigid (?:abdomen|belly|stomach)|board-?like (?:abdomen|belly)|doubled over (?:in|with) pain|(?:pain|ache)[^.]{0,30}(?:coming in waves|comes in waves)[^.]{0,40}(?:groin|side|back|flank|vomit\\w*)",
      "(?:肚子|腹部|小腹|下腹|上腹|胃|腰)" +
        HAN_STOP +
        "{0,4}(?:剧烈|剧痛|疼得(?:厉害|受不了|打滚|直不起腰)|痛得(?:厉害|受不了|打滚|直不起腰)|疼死|痛死)|(?:突然|剧烈)" +
        HAN_STOP +
        "{0,4}(?:肚子|腹|腰)" +
        HAN_STOP +
        "{0,3}(?:疼|痛)|右下腹" +
        HAN_STOP +
        "{0,4}(?:疼|痛)|转移性右下腹痛|(?:肚子|腹部)" +
        HAN_STOP +
        "{0,2}(?:硬邦邦|僵硬|硬得像板|像木板)|板状腹|(?:痛|疼)得要命",
    ),
  },
  {
    code: "cannot-keep-fluids-down",
    system: "gi",
    urgency: "urgent",
    source: CAT_SRC.diarrhoea,
    re: rx(
      "(?:can'?t|cannot|unable to|not able to) (?:keep|hold) (?:anything|any fluids|fluids|water|liquids|food|it) down|vomit\\w*[^.]{0,30}(?:all day|all night|since yesterday|for (?:\\d+|two|three|a day|24)|every (?:hour|time))|(?:not|hasn'?t|haven'?t) (?:drunk|drank|eaten or drunk) anything",
      "喝水都吐|喝什么吐什么|吃什么吐什么|一直吐|吐了一(?:天|整天|晚上)|吐个不停",
    ),
  },
  // ── GU / kidney ────────────────────────────────────────────────────────────
  {
    code: "testicular-pain",
    system: "gu",
    urgency: "emergency",
    source: CAT_SRC.torsion,
    re: rx(
      "(?:testic\\w*|testes|testis|scrot\\w*|balls?|nuts) (?:is |are |was |feels? )?(?:pain\\w*|ache|aching|hurt\\w*|swollen|swelling|sore)|pain in (?:my|his|the|one|his left|his right|my left|my right|the left|the right|left|right) (?:testic\\w*|testes|testis|scrot\\w*|balls?)|(?:testic\\w*|scrot\\w*)[^.]{0,10}(?:pain|torsion|swelling)|torsion",
      "睾丸" +
        HAN_STOP +
        "{0,4}(?:疼|痛|肿)|蛋蛋" +
        HAN_STOP +
        "{0,3}(?:疼|痛|肿)|阴囊" +
        HAN_STOP +
        "{0,4}(?:疼|痛|肿)|睾丸扭转",
    ),
  },
  {
    code: "urinary-retention",
    system: "gu",
    urgency: "emergency",
    source: CAT_SRC.retention,
    re: rx(
      "(?:can'?t|cannot|unable to|(?:haven'?t|hasn'?t|have not|has not|not) been able to|not able to) (?:pee|urinate|pass urine|pass water|wee)[^.]{0,40}(?:hours?|since|all day|pain\\w*|bladder|full|swollen)|(?:haven'?t|hasn'?t|not) (?:peed|urinated|passed (?:any )?urine|had a wee)[^.]{0,20}(?:since|for|in) (?:\\d+|twelve|ten|eight|a day|all day|yesterday|this morning)[^.]{0,20}(?:pain|bladder|full|swollen|hours?)|urinary retention",
      "(?:尿|小便)" +
        HAN_GAP +
        "{0,4}(?:都)?(?:拉不出|排不出|解不出|尿不出)|(?:尿不出(?:来)?|排不出尿|小便解不出|憋尿憋不出)" +
        HAN_STOP +
        "{0,10}(?:胀|疼|痛|小时|一天)?|(?:\\d+|[一二三四五六七八九十几]+)(?:个)?(?:多)?小时(?:都)?(?:未|没有?)(?:排尿|排过尿|尿过|小便|解小便)|(?:未|没有?)(?:排尿|小便|尿)(?:已经)?(?:\\d+|[一二三四五六七八九十几]+)(?:个)?(?:多)?小时|膀胱" +
        HAN_STOP +
        "{0,4}(?:胀|膨胀|鼓)|尿潴留",
    ),
  },
  // ── Pregnancy ──────────────────────────────────────────────────────────────
  {
    code: "pregnancy-pain-or-faint",
    system: "pregnancy",
    urgency: "emergency",
    source: CAT_SRC.ectopic,
    who: "pregnant",
    re: rx(
      "shoulder[- ]?tip pain|pain (?:in|at) (?:the tip of )?(?:my|her) shoulder|(?:sharp|severe|sudden|stabbing|bad|terrible|intense|really bad|very bad) (?:pain|cramp\\w*)[^.]{0,30}(?:one side|lower|tummy|stomach|abdomen|belly|pelvi\\w*|side)|(?:sharp|severe|sudden|stabbing|bad|terrible|intense|really bad|very bad) (?:lower |one-sided )?(?:tummy|stomach|abdominal|belly|pelvic|period-like) (?:pain|cramp\\w*|ache)|(?:pain|cramp\\w*) (?:on|in) one side|one[- ]sided (?:pain|cramp\\w*)|faint\\w*|dizz\\w*|light-?headed|collaps\\w*|heavy bleeding|bleeding (?:heavily|a lot)|soaking (?:a )?pads?|clots",
      "肩(?:尖|膀)?" +
        HAN_STOP +
        "{0,2}(?:疼|痛)|(?:一侧|一边|单侧|左下腹|右下腹|下腹|小腹|肚子)" +
        HAN_STOP +
        "{0,4}(?:剧痛|剧烈|很疼|很痛|疼得厉害|撕裂|刺痛)|头晕|晕倒|大出血|出血很多|流血很多|血块",
    ),
  },
  {
    code: "ectopic-pattern",
    system: "pregnancy",
    urgency: "emergency",
    source: CAT_SRC.ectopic,
    re: rx(
      "ectopic|(?:missed|late) (?:my |a |her )?period|period (?:is )?late|positive (?:pregnancy )?test",
      "宫外孕|月经推迟|例假(?:没来|推迟)|验孕棒(?:两道杠|阳性)",
    ),
    needs: [
      rx(
        "(?:severe|sharp|sudden|stabbing|one[- ]sided)[^.]{0,15}(?:pain|cramp\\w*)|(?:pain|cramp\\w*)[^.]{0,15}one side|shoulder[- ]?tip|faint\\w*|dizz\\w*|pass(?:ed)? out",
        `剧痛|剧烈|刺痛|一侧|单侧|肩(?:尖|膀)?${HAN_STOP}{0,2}(?:疼|痛)|头晕|晕倒|晕厥`,
      ),
    ],
  },
  {
    code: "pregnancy-bleeding",
    system: "pregnancy",
    urgency: "urgent",
    source: CAT_SRC.pregnancyBleed,
    who: "pregnant",
    re: rx(
      "bleed\\w*|spotting|blood (?:when i wipe|on (?:my|the) (?:pad|underwear))|(?:tummy|stomach|abdominal|belly|pelvic) (?:pain|cramp\\w*)|cramp\\w*|waters? (?:broke|breaking|leaking)|leaking fluid",
      "出血|见红|流血|(?:内裤|卫生巾|护垫|纸)上" +
        HAN_GAP +
        "{0,6}血|有(?:一点|一点点|点|些)?血|血丝|褐色分泌物|肚子" +
        HAN_STOP +
        "{0,3}(?:疼|痛)|腹痛|小腹(?:疼|痛|坠)|破水|羊水",
    ),
  },
  {
    code: "reduced-fetal-movements",
    system: "pregnancy",
    urgency: "emergency",
    source: CAT_SRC.fetal,
    re: rx(
      "(?:baby|babies)[^.]{0,20}(?:moving less|not moving|stopped moving|hasn'?t moved|hardly moving|isn'?t moving|not kicking|stopped kicking|(?:is |has been |seems )?(?:much |a lot |really )?(?:quieter|less active|so quiet))|(?:reduced|fewer|less|no|decreased) (?:fetal |foetal |baby )?(?:movements?|kicks?)|(?:haven'?t|hasn'?t|have not|has not|hardly|barely|not) (?:really )?fel(?:t|l) (?:the |her |my )?baby (?:move|kick|moving|kicking)|(?:hardly|barely|not) (?:felt|feeling|feel) (?:the |her |my )?baby",
      `胎动${HAN_STOP}{0,4}(?:减少|少了|变少|没了|消失|不明显|很少)|感觉不到胎动|宝宝(?:不动|动得少)`,
    ),
  },
  {
    code: "pre-eclampsia-signs",
    system: "pregnancy",
    urgency: "emergency",
    source: CAT_SRC.preeclampsia,
    who: "pregnant",
    re: rx(
      "(?:severe|bad|terrible|pounding|persistent) headache|headache[^.]{0,30}(?:won'?t go|not going away|painkillers)|(?:blurred|blurry|flashing|flashes|spots|sparkles) (?:vision|lights|before (?:my|her) eyes)|vision (?:problems|changes|blurred|blurry)|sudden swelling|(?:face|hands|feet) (?:suddenly )?(?:very )?(?:swollen|puffy|swelling)|pain (?:just )?(?:below|under) (?:the |my |her )?ribs",
      "剧烈头痛|头痛得厉害|头疼得厉害|眼(?:前)?(?:发花|冒金星|模糊)|视物模糊|(?:脸|手|脚)" +
        HAN_STOP +
        "{0,3}(?:突然)?(?:肿得厉害|浮肿|肿了)|肋(?:骨)?下(?:疼|痛)",
    ),
  },
  // ── Vascular ───────────────────────────────────────────────────────────────
  {
    code: "dvt-signs",
    system: "vascular",
    // NICE NG158: suspected DVT → assessment (Wells, scan) within 4 hours — same-day, not 999; with
    // breathlessness or chest pain the pe-signs row makes it an emergency.
    urgency: "urgent",
    source: CAT_SRC.dvt,
    re: DVT_RE,
    needs: [
      rx(
        "pain\\w*|hurt\\w*|tender|sore|red|warm|hot|throbbing|ache|aching|flight|plane|surgery|operation|hospital|bed ?rest|one leg|unilateral|than the other|one-sided|left|right|疼|痛|红|热|胀|手术|住院|飞机|卧床|一条|左|右",
      ),
    ],
    reject: (clause) => /both (?:legs|calves|ankles)|two legs|双腿|两条腿|双下肢|两只脚/.test(clause),
  },
  {
    code: "pe-signs",
    system: "vascular",
    urgency: "emergency",
    source: CAT_SRC.pe,
    re: rx("coughing (?:up )?blood|pulmonary embol\\w*|\\bpe\\b[^.]{0,15}(?:symptom|suspect)", "咳血|咯血|肺栓塞"),
  },
  {
    // A DVT picture with a provoking risk factor (NICE NG158 §1.1 Wells items: recent surgery or
    // hospital stay, immobility, long-haul travel, oestrogen, pregnancy or post-partum, cancer) → ultrasound
    // within 4 hours, read here as an emergency; without one it stays the same-day dvt-signs row.
    code: "dvt-provoked",
    system: "vascular",
    urgency: "emergency",
    source: CAT_SRC.dvt,
    re: DVT_RE,
    needs: [
      rx(
        "surgery|operation|op\\b|hospital|admitted|bed ?rest|bed-?bound|immobil\\w*|plaster|cast\\b|(?:long|long-haul|\\d+[- ]hour) (?:flight|drive|journey|trip|bus)|flight|flew|plane|the pill|contracepti\\w*|hrt\\b|pregnan\\w*|had (?:my|a|the) baby|gave birth|postpartum|post-partum|cancer|chemo\\w*",
        "手术|住院|出院|卧床|打石膏|飞机|长途|坐车|避孕药|怀孕|孕|产后|生完孩子|坐月子|癌|化疗",
      ),
    ],
    reject: (clause) => /both (?:legs|calves|ankles)|two legs|双腿|两条腿|双下肢|两只脚/.test(clause),
  },
  {
    // A DVT picture with new breathlessness or chest pain is a pulmonary embolism until shown otherwise.
    code: "dvt-with-breathlessness",
    system: "vascular",
    urgency: "emergency",
    source: CAT_SRC.pe,
    re: DVT_RE,
    needs: [
      rx(
        "breathless\\w*|short(?:ness)? of breath|(?:can'?t|struggling to|hard to) (?:breathe|catch)|chest pain|pain (?:when|on) (?:i )?breath\\w*|cough\\w* (?:up )?blood|气短|气促|喘不|呼吸困难|胸痛|胸闷|咳血",
      ),
    ],
    reject: (clause) => /both (?:legs|calves|ankles)|two legs|双腿|两条腿|双下肢|两只脚/.test(clause),
  },
  {
    code: "acute-limb-ischaemia",
    system: "vascular",
    urgency: "emergency",
    source: CAT_SRC.ischaemia,
    re: rx(
      near(
        "(?:leg|arm|hand|foot|toes|fingers|limb)",
        "(?:cold|pale|white|blue|mottled)[^.]{0,20}(?:pain\\w*|numb\\w*|hurts|can'?t move)|(?:pain\\w*|numb\\w*)[^.]{0,20}(?:cold|pale|white|blue)|no pulse|pulseless",
        25,
      ),
      `(?:腿|脚|手|胳膊)${HAN_GAP}{0,6}(?:冰凉|发白|发紫|变白|变凉|变紫)${HAN_GAP}{0,8}(?:疼|痛|麻|动不了)`,
    ),
  },
  {
    code: "aortic-catastrophe",
    system: "vascular",
    urgency: "emergency",
    source: CAT_SRC.aaa,
    re: rx(
      "(?:aneurysm|aorta|aortic)[^.]{0,40}(?:pain|burst|rupture|tearing)|tearing (?:chest |back )?pain|pulsat\\w* (?:mass|lump)[^.]{0,20}(?:pain|tummy|abdomen)|" +
        near(SUDDEN, "(?:back|tummy|abdominal|stomach)(?: and (?:back|abdominal))? pain", 20) +
        "[^.]{0,40}(?:faint\\w*|collaps\\w*|sweat\\w*|pale|dizz\\w*)",
      `动脉瘤${HAN_STOP}{0,8}(?:疼|痛|破)|撕裂(?:样|一样|般)${HAN_STOP}{0,3}(?:疼|痛)|(?:胸|背|腹|肚子|后背)${HAN_STOP}{0,8}撕裂(?:样|一样|般)`,
    ),
  },
  // ── Eye ────────────────────────────────────────────────────────────────────
  {
    code: "acute-glaucoma",
    system: "eye",
    urgency: "emergency",
    source: CAT_SRC.glaucoma,
    re: rx(
      near(
        "(?:painful|pain\\w*|sore|aching)[^.]{0,15}(?:red )?eye|(?:red )?eye[^.]{0,25}(?:pain\\w*|hurts|aching)",
        "halos?|rainbows?|vomit\\w*|been sick|nause\\w*|blurr\\w*|cloudy|headache",
        40,
      ),
      "angle[- ]closure|acute glaucoma",
      near(`眼(?:睛)?${HAN_STOP}{0,4}(?:胀痛|剧痛|红痛|疼|痛)`, "虹视|彩虹|光晕|呕吐|恶心|视力下降|看不清|头痛", 15),
      "急性青光眼|青光眼(?:急性)?发作",
    ),
  },
  {
    code: "retinal-detachment",
    system: "eye",
    urgency: "emergency",
    source: CAT_SRC.retina,
    re: rx(
      near("floaters|flashes|flashing lights", "curtain|shadow|veil", 30),
      "(?:curtain|shadow|veil)[^.]{0,20}(?:over|across|coming down|in) (?:my |his |her |the )?(?:vision|eye|sight)",
      `(?:眼前|视野)${HAN_STOP}{0,4}(?:幕布|帘子|遮挡)|视网膜脱落|(?:眼|视野|眼前)${HAN_GAP}{0,8}(?:窗帘|帘子|幕布|黑幕)|(?:窗帘|帘子|幕布|黑幕|黑影)${HAN_GAP}{0,10}(?:看不见|看不到|挡住|遮住)`,
    ),
  },
  {
    // New floaters or flashes without a curtain or a field loss: same-day eye assessment.
    code: "flashes-floaters-new",
    system: "eye",
    urgency: "urgent",
    source: CAT_SRC.floaters,
    re: rx(
      near(
        "(?:new |sudden |lots of |shower of )?(?:floaters|flashes|flashing lights)",
        "new|sudden\\w*|lots|shower|loads|many",
        30,
      ),
      `(?:眼前|视野|眼睛)${HAN_STOP}{0,8}(?:黑影|闪光|飞蚊)|飞蚊症?${HAN_STOP}{0,4}(?:突然|增多|变多)|(?:突然|好多|很多)${HAN_STOP}{0,4}(?:黑影|黑点|飞蚊)`,
    ),
  },
  {
    code: "eye-injury-chemical",
    system: "eye",
    urgency: "emergency",
    source: CAT_SRC.eye,
    re: rx(
      "(?:chemical|bleach|acid|alkali|oven cleaner|cleaning product|lime|cement|glue)[^.]{0,20}(?:in|into|splash\\w*) (?:my|his|her|the) eyes?|something (?:sharp )?(?:stuck |went )?in (?:my|his|her) eye[^.]{0,30}(?:can'?t see|pain|bleed)|penetrating eye",
      `(?:化学品|消毒液|洗涤剂|84|石灰|酸|碱)${HAN_STOP}{0,6}(?:溅|进)(?:到|了)?${HAN_STOP}{0,3}眼|眼(?:睛|里)?${HAN_STOP}{0,4}(?:溅|进)(?:进|入|到)?(?:了)?${HAN_STOP}{0,3}(?:化学品|消毒液|洗涤剂|84|石灰|酸|碱|清洁剂|漂白|洁厕)`,
    ),
  },
  // ── Mental health / toxicology ─────────────────────────────────────────────
  {
    code: "overdose-poisoning",
    system: "toxicology",
    urgency: "emergency",
    source: CAT_SRC.poisoning,
    negationOnly: true,
    re: rx(
      "overdos\\w*|\\b(?:took|taken|swallowed|had) (?:all|the whole|a whole|every one) (?:of )?(?:my|his|her|their|the)?[^.]{0,30}(?:pills|tablets|caps\\w*|paracetamol|medicines?|meds|insulin)|\\b(?:took|taken|swallowed|had) (?:about |around |over |nearly )?[1-9]\\d+ (?:\\w+ ){0,2}(?:pills|tablets|caps\\w*|paracetamol|tylenol|acetaminophen|ibuprofen|aspirin|sleeping)|took (?:too many|way too many|a lot of|lots of|all (?:of )?(?:my|his|her|the)|(?:a |an |the )?(?:whole|entire|full) (?:packet|pack|box|bottle|strip|blister pack))[^.]{0,20}(?:pills|tablets|meds|paracetamol|tylenol|acetaminophen|ibuprofen|aspirin|sleeping|insulin|antidepressants?)|swallow\\w*[^.]{0,40}(?:bleach|battery|button battery|magnets?|poison|pills|tablets|detergent|pod|antifreeze|weed ?killer|rat poison)|(?:drank|ate|drunk)[^.]{0,15}(?:bleach|antifreeze|poison|pesticide|weed ?killer|detergent|lamp oil|paraffin)|poison\\w*|(?:child|toddler|son|daughter|kid|baby)[^.]{0,30}(?:got into|ate|swallowed)[^.]{0,40}(?:pills|tablets|medicine|meds)|(?:took|injected|gave|had|did) (?:my |his |her |the )?(?:insulin|lantus|levemir|tresiba|toujeo|novorapid|humalog|novolog|basal|bolus)(?: dose| shot| injection)? twice|(?:double|extra) (?:dose|shot|injection) of (?:my |his |her )?(?:insulin|lantus|basal|bolus)|\\b\\d{2,3} (?:units|u)\\b[^.]{0,20}(?:extra|too many|by mistake|instead of)|(?:wrong|someone else'?s) insulin|insulin[^.]{0,20}by mistake|by mistake[^.]{0,20}(?:insulin|\\d+ ?units)|打了?两次[^，。,]{0,4}insulin",
      "胰岛素" +
        HAN_GAP +
        "{0,6}(?:打了两次|打重了|重复(?:注射|打)|多打了(?:\\d{2}|[二三四五六七八九十]+))|吃了?(?:很多|一把|一大把|一整瓶|一瓶|一整板|整板|一板|整盒|一整盒|过量)(?:的)?" +
        HAN_STOP +
        "{0,4}(?:药|安眠药|片)|(?:喝|吃)了?" +
        HAN_STOP +
        "{0,3}(?:农药|百草枯|敌敌畏|老鼠药|鼠药|消毒液|84消毒液|洗洁精)|(?:孩子|宝宝|小孩|儿子|女儿|孙子|孙女)把" +
        HAN_GAP +
        "{0,10}药" +
        HAN_GAP +
        "{0,3}(?:吃|吞)了|服药过量|药物过量|(?<!酸|酮症)中毒|误服|误吃|吞了" +
        HAN_STOP +
        "{0,4}(?:电池|磁铁|药)",
    ),
    reject: (clause) =>
      (/food poisoning|食物中毒/.test(clause) && !/bleach|农药/.test(clause)) ||
      /as (?:usual|normal|prescribed|always|directed)|like (?:always|normal|usual)|on time|every (?:day|morning|night)|this morning'?s|today'?s (?:pills|meds|tablets)|照常|按时|按医嘱/.test(
        clause,
      ),
  },
  {
    code: "self-harm",
    system: "mental-health",
    urgency: "emergency",
    source: CAT_SRC.selfHarm,
    negationOnly: true,
    re: rx(
      "self[- ]harm\\w*|cutting myself|cut my (?:wrists?|arms?)|burn(?:ed|ing|t)? myself|hurting myself|want(?:s|ed)? to hurt (?:myself|someone|people)|(?:hearing|hear) voices[^.]{0,30}(?:telling|tell) (?:me|him|her) to",
      "自残|自伤|割(?:了)?(?:手腕|自己)|伤害自己|想伤害",
    ),
    // "I used to self-harm as a teenager but I'm OK now": a past habit the writer says is over.
    reject: (_clause, _m, _before, sentence) =>
      /used to|as a teen\w*|when i was (?:young|younger|a teen\w*|at school)|years ago|以前|曾经|年轻时|上学时/.test(sentence) &&
      /\b(?:(?:ok|okay|fine|better|well) now|now (?:i'?m )?(?:ok|okay|fine|better|well)|not any ?more)\b|现在(?:好|没事|不会)|好多了|不再/.test(
        sentence,
      ) &&
      !/\bagain\b|started|last night|today|this week|又|最近|今天|昨天/.test(sentence),
  },
  // ── Cross-system combinations (issue 12: mechanisms, not words) ────────────
  {
    // Autonomic signs with breathlessness or an upper-body ache: the atypical heart attack of older
    // people, women and diabetes ("indigestion", grey and sweaty, breathless).
    code: "acs-autonomic",
    system: "cardiac",
    urgency: "emergency",
    source: CAT_SRC.acs,
    re: rx(
      "clammy|sweat(?:y|ing (?:a lot|buckets|profusely|heavily))|cold sweat|grey|gray|ashen|diaphore\\w*",
      "冷汗|大汗|出汗|满头大汗|脸色(?:发灰|灰白|苍白)",
    ),
    needs: [
      rx(
        "breathless\\w*|short(?:ness)? of breath|chest|indigestion|heartburn|jaw|(?:left |right )?arm (?:ache|pain|feels|is heavy)|upper (?:back|abdomen|tummy|stomach)|between (?:my|her|his|the) shoulder",
        "气短|喘不|胸|心口|上腹|胃(?:不舒服|疼|痛)|下巴|胳膊(?:发麻|麻|疼|痛)|后背",
      ),
    ],
    // Sweating with exertion, heat, a hot flush or a hypo treated with sugar is not this picture.
    // Nor is a long-standing or occasional feeling ("grey and tired all the time", "a bit breathless on stairs").
    reject: (_clause, _m, _before, sentence) =>
      /exercis|workout|gym|running|jog|sauna|hot flush|hot flash|menopaus|night sweats?|hypos?\b|low sugar|sugar (?:is |was )?low|运动|跑步|健身|潮热|盗汗|低血糖|血糖低/.test(
        sentence,
      ) ||
      /all the time|always|for (?:weeks|months|years)|on (?:the )?stairs|sometimes|occasionally|a bit|一直|经常|有时|偶尔|老是/.test(
        sentence,
      ),
  },
  {
    // Any bleeding with a sign of blood loss (faint, dizzy, pale, clammy) — postpartum, GI, trauma.
    code: "bleeding-with-shock",
    system: "general",
    urgency: "emergency",
    source: CAT_SRC.shockBleed,
    re: rx(
      "bleed\\w*|haemorrhag\\w*|hemorrhag\\w*|(?:big |large |huge )?clots|passing blood|losing (?:a lot of )?blood|soaked (?:a |through )",
      "出血|流血|血块|大出血|流了很多血",
    ),
    needs: [
      rx(
        "dizz\\w*|faint\\w*|light-?headed|pale|clammy|pass(?:ed|ing)? out|collaps\\w*|头晕|晕|眼前发黑|脸色(?:苍白|发白)|冷汗|站不(?:起来|住|稳)",
      ),
    ],
    // Gums, fingers, noses and periods bleed often; a faint feeling "sometimes" or "a bit" is not shock.
    reject: (_clause, _m, _before, sentence) =>
      /gums?|nose ?bleed|finger|prick|lancet|test strip|periods?\b|menstrua\w*|牙龈|鼻血|手指|扎|月经|例假|大姨妈/.test(
        sentence,
      ) || /sometimes|occasionally|a bit|slight\w*|mild\w*|偶尔|有时|有点|一点/.test(sentence),
  },
  {
    // Diagnosis-labelled messages (issue 12: "ruptured ectopic", "testicular torsion", "?epiglottitis")
    // carry no symptom word; a time-critical diagnosis asserted now (not asked about, not past, not a
    // risk) is an emergency. Abbreviations that are also words need a clinical frame (suspected, ?, query).
    code: "time-critical-diagnosis",
    system: "general",
    urgency: "emergency",
    source: CAT_SRC.diagnosis,
    re: rx(
      "\\b(?:stemi|nstemi|myocardial infarct\\w*|acute coronary syndrome|aortic dissection|(?:tension )?pneumothorax|subarachnoid|(?:intracranial|intracerebral|brain) (?:bleed|haemorrhage|hemorrhage)|(?:subdural|extradural|epidural) ha?ematoma|status (?:epilepticus|asthmaticus)|encephalitis|epiglottitis|ectopic(?: pregnancy)?|placental abruption|abruption|cord prolapse|eclampsia|(?:testicular|ovarian) torsion|intussusception|volvulus|(?:bowel|intestinal) obstruction|(?:ischa?emic bowel|mesenteric ischa?emia)|(?:acute )?appendicitis|acute pancreatitis|(?:ascending )?cholangitis|(?:diabetic )?keto-?acidosis|hyperosmolar (?:hyperglyc\\w* )?state|(?:adrenal|addisonian) crisis|thyroid storm|cauda equina|compartment syndrome|(?:acute )?limb isch\\w*|sickle cell crisis|acute chest syndrome|neutropenic sepsis|(?:spinal )?cord compression|(?:upper |lower )?gi bleed\\w*|variceal bleed\\w*|pulmonary o?edema|acute heart failure|cardiac tamponade|(?:complete|third[- ]degree) heart block|ventricular (?:tachycardia|fibrillation)|retinal artery occlusion|foreign body aspiration|inhaled foreign body)\\b",
      "(?:suspected|query|\\?|likely|probable|presumed|possible|r\\/o|rule out|impression:?|dx:?|diagnosis:?) ?(?:an? )?(?:mi|acs|sah|pe|vt|dka|hhs|aaa)\\b|\\b(?:in|with|has|having) (?:dka|hhs)\\b",
      "心梗|心肌梗死|心肌梗塞|急性冠脉综合征|主动脉夹层|气胸|蛛网膜下腔出血|脑出血|颅内出血|硬膜(?:下|外)血肿|癫痫持续状态|哮喘持续状态|脑炎|会厌炎|宫外孕|异位妊娠|胎盘早剥|脐带脱垂|子痫|(?:睾丸|卵巢)扭转|肠套叠|肠扭转|肠梗阻|肠坏死|急性阑尾炎|阑尾炎|急性胰腺炎|胆管炎|酮症酸中毒|高渗(?:性)?(?:状态|昏迷|高血糖)|肾上腺危象|甲亢危象|甲状腺危象|马尾综合征|骨筋膜室综合征|镰状细胞危象|消化道出血|急性心衰|急性左心衰|肺水肿|心包填塞|室速|室颤|视网膜动脉阻塞|气道异物",
    ),
    // Risk, prevention, screening, and "pre-eclampsia" (its own row) are not the diagnosis now.
    reject: (clause, m, before) =>
      /\brisk|chance|prevent|avoid|screen\w*|vaccin\w*|scared|afraid|worried (?:about|i might)|family history|风险|预防|避免|筛查|担心|害怕|家族史/.test(
        clause,
      ) ||
      // Past, treated or explained: "recovery after appendicitis surgery", "treated for an ectopic in March",
      // "as a teenager", "…explained", 几率/手术后 — the diagnosis is not happening now.
      /surgery|operation|recover\w*|treated (?:for|with)|was (?:treated|diagnosed|admitted|in hospital)|in hospital with|discharged|explain\w*|article|as a (?:teen\w*|child|kid|baby)|in (?:january|february|march|april|may|june|july|august|september|october|november|december)|last (?:week|month|year)|几率|概率|可能性|手术|术后|治疗过|治好|做过|出院|住过院|科普/.test(
        clause,
      ) ||
      (/eclampsia/.test(m) && /pre-?$/.test(before)) ||
      (m === "子痫" && /先兆$/.test(before)) ||
      /非$/.test(before),
  },
  {
    // Diagnosis-labelled referrals: a ruptured or perforated organ is a surgical emergency whatever is named.
    code: "ruptured-or-perforated",
    system: "general",
    urgency: "emergency",
    source: CAT_SRC.ruptured,
    re: rx("ruptur\\w*|perforat\\w*|(?:torsion|torted)\\b|dissect(?:ion|ing)\\b", "破裂|穿孔|扭转|夹层"),
    reject: (clause) =>
      /ear ?drum|tympan|tendon|achilles|ligament|membranes|waters|blister|disc|cyst (?:that )?(?:was|had)|septum|耳膜|鼓膜|肌腱|韧带|羊水|胎膜|水泡|鼻中隔|椎间盘/.test(
        clause,
      ),
  },
  // ── Trauma / bleeding / general ────────────────────────────────────────────
  {
    code: "uncontrolled-bleeding",
    system: "trauma",
    urgency: "emergency",
    source: CAT_SRC.bleeding,
    re: rx(
      "bleeding (?:that )?(?:won'?t|will not|doesn'?t|does not|hasn'?t|has not|didn'?t) stop|(?:won'?t|can'?t) stop (?:the )?bleeding|(?:blood|bleeding|it)(?:'s| is)? (?:pouring|spurting|gushing|squirting)|(?:spurting|pulsing|gushing) (?:blood|out)|(?:won'?t|doesn'?t|will not) stop (?:even )?with pressure|heavy bleeding|deep (?:cut|wound|gash)[^.]{0,20}(?:bleed\\w*|gaping|bone)",
      "血止不住|流血不止|止不住血|出血不止|大出血|血流不止|喷血",
    ),
  },
  {
    code: "call-emergency-services",
    system: "general",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: rx(
      "(?:called|calling|phoned|rang|ringing) (?:for )?(?:an |the )?ambulance|(?:called|calling|dialled|dialed|dialing|rang) (?:911|999|112|000)|ambulance is (?:on (?:its|the) way|coming)",
      "叫了救护车|打了120|已经拨打120|救护车(?:来了|在路上|马上到)|正在送(?:去|往)?急诊|送医院抢救",
    ),
  },
  {
    code: "severe-dehydration-heat",
    system: "general",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: rx(
      "heat ?stroke|stopped sweating[^.]{0,30}(?:hot|confus\\w*)|no (?:urine|pee|wee) (?:for|in) (?:12|18|24|\\d{2}) hours",
      `中暑${HAN_STOP}{0,6}(?:昏|意识|抽)|热射病`,
    ),
  },
  {
    code: "hypertensive-symptoms",
    system: "cardiac",
    urgency: "urgent",
    source: CAT_SRC.htn,
    re: rx("hypertensive (?:crisis|emergency|urgency)", "高血压危象|血压(?:突然)?(?:飙|升)到?(?:很高|特别高)"),
  },
  // ── Added from the tuning half of the extended development set (wording the first rows missed) ──
  {
    code: "chest-symptom-red-flag",
    system: "cardiac",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: rx(
      near(
        "chest (?:is |feels )?(?:really |very |so |quite |a bit )?(?:tight and heavy|heavy and tight|burning|heavy|heaviness|squeez\\w*|crushing|aching|tight)|(?:burning|heavy|heaviness|squeezing|crushing) (?:in|on) (?:my |his |her |the )?chest",
        "faint\\w*|sick|nause\\w*|sweat\\w*|clammy|breathless|short of breath|arm|jaw|at rest|resting|while (?:she|he|i) was resting",
        40,
      ),
      `${near("胸口|胸部|心口", "烧|灼|压着|沉|闷", 4) + HAN_GAP}{0,12}(?:出汗|冷汗|头晕|想吐|恶心|气短|喘|胳膊|下巴|休息)`,
    ),
  },
  {
    code: "allergy-systemic",
    system: "allergy",
    urgency: "emergency",
    source: CAT_SRC.anaphylaxis,
    re: rx(
      "hives|welts|urticaria|(?:rash|spots) (?:all over|everywhere|spreading)|(?:sting|stung|\\bbees?\\b|wasp|peanut|\\bnuts?\\b|\\beggs?\\b|shellfish|allerg\\w*)",
      "(?:蛰|蜇|叮)了|全身(?:起)?(?:疙瘩|风团|红疹|疹子)|荨麻疹|风团",
    ),
    needs: [
      rx(
        "hives|welts|urticaria|rash|spots|swell\\w*|疙瘩|风团|荨麻疹|疹|肿",
        "sting|stung|\\bbees?\\b|wasp|peanut|\\bnuts?\\b|\\beggs?\\b|shellfish|allerg\\w*|first taste|after eating|蛰|蜇|叮|过敏|吃了",
      ),
      rx(
        "vomit\\w*|been sick|cough\\w*|wheez\\w*|breath\\w*(?! (?:is |are |seems |feels )?(?:normal\\w*|fine|ok|okay|good))|faint\\w*|dizz\\w*|floppy|pale|头晕|想吐|呕吐|吐了|咳|喘|呼吸(?!正常|平稳|顺畅|没问题|还好)|(?<!不)晕",
      ),
    ],
  },
  {
    code: "allergic-rash-new-drug",
    system: "allergy",
    urgency: "urgent",
    source: CAT_SRC.anaphylaxis,
    re: rx(
      near(
        "rash|hives|itch\\w*|blister\\w*|welts",
        "new (?:medication|medicine|pills?|tablets?|drug|prescription)|(?:started|starting|began|since) (?:taking |on )?(?:a |the |my )?(?:new )?(?:antibiotic|medication|medicine|tablets?|pills?|drug)|antibiotic",
        40,
      ),
      near("新开的药|换了?(?:新)?药|吃了?(?:新)?药|抗生素|头孢|青霉素", "红疹|疹子|皮疹|痒|起疙瘩|水泡", 12),
    ),
  },
  {
    code: "carbon-monoxide",
    system: "toxicology",
    urgency: "emergency",
    source: CAT_SRC.poisoning,
    // A household with the same headache or dizziness around a fuel-burning appliance is the CO
    // pattern even unnamed (NHS: several people, or pets, ill at once; symptoms better away from home).
    re: rx(
      "carbon monoxide|\\bco alarm|gas leak[^.]{0,30}(?:dizz\\w*|headache|sick)",
      near(
        "(?:whole |all the |everyone in the )?(?:family|household|house|we all|all of us|everyone)[^.]{0,30}(?:headache|dizz\\w*|sick|nause\\w*|drowsy)",
        "boiler|gas (?:fire|heater|stove|cooker)|heater|stove|fireplace|wood ?burner|generator|charcoal|bbq|barbecue|fumes",
        60,
      ),
      "烧炭|煤气中毒|一氧化碳|燃气泄漏|煤炉",
    ),
    needs: [rx("dizz\\w*|headache|sick|nause\\w*|drowsy|confus\\w*|faint\\w*|头晕|头痛|恶心|想吐|叫不|昏|迷糊|难受")],
  },
  {
    code: "priapism",
    system: "gu",
    urgency: "emergency",
    source: "NHS: priapism — go to A&E for an erection lasting more than 2 hours",
    re: rx(
      "priapism|erection (?:that )?(?:won'?t|will not|doesn'?t) go (?:down|away)|erection (?:for|lasting) (?:over |more than )?(?:2|3|4|two|three|four|\\d+) hours",
      "阴茎异常勃起|勃起不消",
    ),
  },
  {
    code: "waters-broken",
    system: "pregnancy",
    urgency: "emergency",
    source: "NICE NG25 / NHS: waters breaking — call the maternity unit now",
    re: rx(
      "waters? (?:have |has )?(?:just )?(?:broke|broken|breaking|gone|leaking)|(?:gush|trickle) of (?:clear )?fluid[^.]{0,30}(?:vagina|down)|leaking (?:clear )?fluid",
      `破水|羊水(?:破|流)|(?:下面|阴道)${HAN_GAP}{0,6}(?:流|出)(?:了)?(?:好多|很多|一股|一大股)?水`,
    ),
  },
  {
    // Colloquial Chinese for the same event, only in pregnancy: "突然流了好多水" is running water anywhere else.
    code: "waters-broken-colloquial",
    system: "pregnancy",
    urgency: "emergency",
    source: "NICE NG25 / NHS: waters breaking — call the maternity unit now",
    who: "pregnant",
    re: rx(
      `(?:突然|刚才)${HAN_GAP}{0,4}(?:流|出)了?(?:好多|很多|一股|一大股)水|(?:裤子|床单)${HAN_STOP}{0,2}(?:全|都)?湿(?:了|透)`,
    ),
  },
  {
    code: "hernia-strangulation",
    system: "gi",
    urgency: "emergency",
    source:
      "NHS: inguinal hernia — go to A&E if it becomes firm, tender or cannot be pushed back, with vomiting or severe pain (strangulation)",
    re: rx(
      near(
        "hernia|lump in (?:my|his|her|the) groin|groin lump",
        "(?:went|gone|is|turned|become|became) (?:hard|firm|purple|red|dark)|can'?t (?:push|get) it back|won'?t go back",
        40,
      ),
      `疝气${HAN_GAP}{0,10}(?:推不回去|回不去|变硬|发紫|发黑)|(?:腹股沟|大腿根)${HAN_GAP}{0,6}(?:包|肿块)${HAN_GAP}{0,8}(?:推不回去|回不去|变硬|发紫)`,
    ),
  },
  {
    code: "severe-burn",
    system: "trauma",
    urgency: "emergency",
    source: "NHS: burns and scalds — A&E for large, deep, chemical or electrical burns",
    re: rx(
      "(?:third|3rd|full)[- ](?:degree|thickness) burns?|(?:boiling|scalding|hot) (?:water|oil|fat|soup)[^.]{0,40}(?:white|peeling|charred|big blisters|large blisters|arm and|leg and|chest|face|all over)|(?:large|big|deep|bad|severe) burns?|burn (?:is )?(?:bigger|larger) than|(?:chemical|electrical) burns?|burn\\w*[^.]{0,20}(?:face|genitals|white|charred|leathery)",
      "(?:开水|热水|沸水|热油|滚油|热汤)" +
        HAN_GAP +
        "{0,22}(?:大泡|好多泡|很多泡|皮(?:都)?掉|脱皮|发白|焦)|三度(?:烧|烫)伤|深二度|大面积(?:烧|烫)伤|(?:烧|烫)伤" +
        HAN_GAP +
        "{0,6}(?:发白|焦黑|起大泡|很大一片)|电击伤|化学烧伤",
    ),
  },
  {
    code: "suicide-warning-signs",
    system: "mental-health",
    urgency: "emergency",
    source: CAT_SRC.selfHarm,
    negationOnly: true,
    re: rx(
      "(?:texted|sent|said|wrote|left)[^.]{0,20}(?:goodbye|a note)|goodbye (?:text|note|message|letter)|suicide note|better off without (?:me|him|her)|(?:got|bought|have|tied) (?:a )?(?:rope|noose)|(?:giving|gave) (?:away )?(?:all )?(?:his|her|my) (?:things|stuff|belongings) away|saying goodbye to (?:everyone|people)",
      "遗书|告别(?:短信|信息)|(?:跟|和)(?:大家|我们)告别|没有我(?:大家|你们)?(?:会)?更好|买了(?:绳子|安眠药|农药)|准备了(?:绳子|药)",
    ),
  },
  {
    code: "passive-suicidal-thoughts",
    system: "mental-health",
    urgency: "urgent",
    source: CAT_SRC.selfHarm,
    negationOnly: true,
    re: rx(
      "dark thoughts|life (?:is not|isn'?t|is no longer) worth living|not worth living|wish (?:i|he|she) (?:wouldn'?t|would not|didn'?t|did not|could not|couldn'?t) wake up|wish i could (?:disappear|just not exist|go to sleep and not wake)|what'?s the point (?:of|in) (?:living|anything|going on)|feel(?:ing)? (?:completely )?hopeless|no hope left",
      "不想醒来|不想活下去的念头|觉得活着没(?:有)?意义|绝望|想消失|一了百了的念头",
    ),
  },
  {
    code: "major-trauma",
    system: "trauma",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: rx(
      "(?:fell|fallen|fall|falling|tumbled) (?:down|from|off) (?:the |a )?(?:stairs|steps|ladder|roof|height|balcony|scaffold\\w*|horse)|car (?:crash|accident)|hit by a (?:car|bus|truck|van)|motorbike accident|bone (?:is )?(?:sticking|poking) out|open fracture",
      "(?:从|在)" +
        HAN_GAP +
        "{0,6}(?:楼梯|梯子|楼上|高处|屋顶|阳台|米高)" +
        HAN_GAP +
        "{0,4}(?:摔|跌|掉|坠)|(?:高处|楼上|脚手架)(?:上)?(?:摔|跌|掉|坠)(?:下|落)|车祸|被车撞|骨头(?:露|戳)出来",
    ),
    needs: [
      rx(
        "can'?t (?:move|get up|stand|walk|feel)|won'?t move|unconscious|knocked out|bleed\\w*|severe|terrible|unbearable|deform\\w*|sticking out|broken|fractur\\w*|head|neck|back|numb\\w*|tingl\\w*|动不了|起不来|站不起来|骨折|疼得厉害|痛得厉害|昏|流血|出血|头|脖子|颈|腰|麻木|无力",
      ),
    ],
  },
  {
    code: "possible-fracture",
    system: "trauma",
    urgency: "urgent",
    source: "NICE NG38 (fractures) / NHS: broken bones — urgent assessment",
    re: rx(
      near(
        "fell|fall|fallen|twist\\w*|hit|injur\\w*|landed|tripped|bang\\w*|crash\\w*|knock\\w*",
        "swollen|swelling|swelled|deform\\w*|(?:can'?t|cannot|unable to) (?:bear weight|put weight|move|walk on|use|bend|straighten)|(?:might|may|could) be (?:broken|fractured)|broke|crack\\w*|snap\\w*",
        50,
      ),
      near("摔|跌|扭|撞|砸", "肿|变形|动不了|不能走|不敢动|骨折|裂了", 14),
    ),
    reject: (clause) =>
      /(?:a little|a bit|slight\w*|mild\w*|can walk on it|can still walk|有点|轻微|能走)/.test(clause) &&
      !/can'?t|cannot|deform|骨折|动不了|变形/.test(clause),
  },
  {
    code: "uti-in-pregnancy",
    system: "pregnancy",
    urgency: "urgent",
    source: "NICE NG109 (UTI in pregnancy: same-day antibiotics and culture)",
    who: "pregnant",
    re: rx(
      "(?:burn\\w*|stings?|hurts?|painful) (?:when|to) (?:i |she |he )?(?:pee|wee|urinate)|(?:burning|stinging|painful) urine|urine (?:burns|stings)|(?:painful|stinging|burning) (?:urination|pee|wee)|dysuria|urine infection|\\buti\\b|going every (?:\\d+|few) minutes|cystitis",
      "尿痛|尿频|尿急|尿道(?:疼|痛|烧)|尿路感染|小便(?:疼|痛|烧)",
    ),
  },
  {
    code: "pyelonephritis",
    system: "gu",
    urgency: "urgent",
    source: "NICE NG111 (acute pyelonephritis)",
    re: rx(
      "(?:burn\\w*|stings?|hurts?|painful) (?:when|to) (?:i |she |he )?(?:pee|wee|urinate)|(?:painful|stinging|burning) (?:urination|pee|wee)|dysuria|urine infection|\\buti\\b|cystitis|pee\\w* (?:a lot|all the time)",
      "尿痛|尿频|尿急|尿道(?:疼|痛|烧)|尿路感染|小便(?:疼|痛|烧)",
    ),
    needs: [
      rx(
        FEVER,
        "(?:side|flank|loin|back) (?:pain|ache|hurts)|pain in (?:my|the|her|his|their) (?:left |right |lower )?(?:side|back|flank|loin)|shiver\\w*|rigors|腰(?:这边)?(?:疼|痛|酸)|寒战|发抖",
      ),
    ],
  },
  {
    code: "wrong-or-extra-medication",
    system: "toxicology",
    urgency: "urgent",
    source: "NHS 111: taken too much or the wrong medicine — get advice now",
    re: rx(
      "(?:took|taken|swallowed|had) (?:someone else'?s|(?:my )?(?:wife|husband|partner|mum|mom|dad)'?s|the wrong) (?:pills?|tablets?|medicines?|medication|meds|dose)|(?:took|taken|had) (?:an )?(?:extra|double|second) (?:dose|pill|tablet)[^.]{0,20}(?:by mistake|accident\\w*)|(?:accidentally|by mistake)[^.]{0,20}(?:took|taken|double)",
      "误服|吃错(?:了)?药|不小心" +
        HAN_GAP +
        "{0,8}(?:吃了|吃错|多吃|多服|服了|打了)" +
        HAN_GAP +
        "{0,8}(?:药|片|粒|胰岛素|针)|多吃了一(?:片|粒|次|顿)",
    ),
  },
  {
    code: "snake-bite",
    system: "toxicology",
    urgency: "emergency",
    source: CAT_SRC.nhs999,
    re: rx("snake ?bite|bitten by a snake|snake bit", "被蛇咬|蛇咬"),
  },
  {
    code: "animal-bite",
    system: "infection",
    urgency: "urgent",
    source: "NICE CKS bites / WHO rabies post-exposure prophylaxis",
    re: rx(
      "(?:dog|cat|animal|bat|monkey|stray|fox|rat|human) (?:bite|bit|scratch\\w*)|bitten by (?:a |the |my |our )?(?:dog|cat|bat|monkey|stray|fox|rat|animal|someone)|(?:dog|cat|bat|monkey) (?:bit|scratched) (?:me|him|her)",
      `被${HAN_GAP}{0,4}(?:狗|猫|流浪猫|流浪狗|老鼠|猴子|蝙蝠|动物)${HAN_GAP}{0,4}(?:咬|抓)|狂犬`,
    ),
  },
  {
    code: "prolonged-fever",
    system: "infection",
    urgency: "urgent",
    source: `${CAT_SRC.ng143} (fever ≥ 5 days amber); ADA sick-day guidance (ill or febrile > 2 days: call the care team)`,
    re: rx(
      "(?:fever|temperature|temp)[^.]{0,40}(?:for|since|over|last\\w*) (?:the (?:last|past) )?(?:[3-9]|1\\d|three|four|five|six|seven|several|a few) days|(?:[3-9]|three|four|five|six|seven) days (?:of|with) (?:a )?(?:fever|temperature)",
      "(?:发烧|发热|高烧)" +
        HAN_GAP +
        "{0,6}(?:第?[三四五六七八九十3-9]天|[三四五六七八九十3-9]天了?|好几天|一周|一个星期)|(?:[三四五六七3-7]天|好几天)" +
        HAN_GAP +
        "{0,4}(?:发烧|发热|高烧)",
    ),
  },
  {
    code: "chest-infection",
    system: "respiratory",
    urgency: "urgent",
    source: "NICE NG138 / NG120 (pneumonia and cough: assess with fever and chest signs)",
    re: rx(
      "chesty cough|productive cough|cough\\w* up (?:green|yellow|brown|thick|phlegm|mucus|sputum)|(?:green|yellow) (?:phlegm|mucus|sputum)|chest infection|pneumonia",
      "咳(?:黄|绿)痰|黄痰|绿痰|肺炎|肺部感染",
    ),
    needs: [rx(FEVER, "breath\\w*|wheez\\w*|\\b(?:6[5-9]|[7-9]\\d)\\b|elderly|diabet\\w*|喘|气短|糖尿病|老人")],
  },
  {
    code: "croup",
    system: "paediatric",
    urgency: "urgent",
    source: "NICE CKS croup / NHS: croup — see a GP, 999 for stridor at rest",
    re: rx("barking cough|cough\\w* like a (?:seal|dog)|croup", "咳嗽像狗叫|犬吠样咳嗽?|像狗叫一样咳|喉炎"),
  },
  {
    code: "jaundice",
    system: "gi",
    urgency: "urgent",
    source: "NHS: jaundice — urgent GP appointment",
    re: rx(
      "jaundice\\w*|yellow (?:skin|eyes|tinge)|(?:skin|eyes|whites of (?:my|his|her) eyes) (?:have |has |are |is )?(?:gone |turned |turning |look\\w* )?yellow|(?:pee|urine|wee) (?:is |looks )?(?:very )?(?:dark|like (?:tea|cola))",
      `黄疸|(?:眼睛|皮肤|眼白)${HAN_GAP}{0,3}(?:发黄|变黄|黄了)|尿(?:像|跟|如)?浓茶`,
    ),
  },
  {
    code: "mastitis",
    system: "infection",
    urgency: "urgent",
    source: "NICE CKS mastitis (infective: antibiotics same day)",
    re: rx(near("breast", "hot|red|hard|lump|sore|pain\\w*|swollen", 25), `乳房${HAN_GAP}{0,6}(?:红|肿|热|硬|疼|痛)|乳腺炎`),
    needs: [rx(FEVER, "temperature|flu-?like|shiver\\w*|chills|发烧|发热|寒战")],
  },
  {
    code: "palpitations",
    system: "cardiac",
    urgency: "urgent",
    source: CAT_SRC.esc,
    re: rx(
      "palpitation\\w*|skipp\\w* beats?|heart (?:is )?(?:racing|pounding|fluttering|flutters|flipping|skipping|irregular)|irregular (?:heart ?beat|pulse)|racing heart",
      "心慌|心悸|心跳(?:很|特别)?(?:快|乱|不齐|漏跳)|心跳漏(?:一)?拍|早搏|心律不齐",
    ),
  },
  {
    code: "red-eye-contact-lens",
    system: "eye",
    urgency: "urgent",
    source: "NHS: eye infections — urgent same-day assessment for contact-lens wearers with a painful red eye",
    re: rx(
      near("contact lens\\w*|contacts", "red|pain\\w*|sore|light sensitiv\\w*|sensitive to light", 40),
      near("隐形眼镜|美瞳", "红|疼|痛|怕光", 12),
    ),
  },
  {
    code: "red-painful-eye",
    system: "eye",
    urgency: "urgent",
    source: "NICE CKS red eye (painful red eye or photophobia: same-day ophthalmology)",
    re: rx(
      near(
        "eye",
        "(?:really |very |so )?(?:painful|pain|hurts)[^.]{0,20}(?:light|photophob\\w*|blurr\\w*|vision)|(?:light|photophob\\w*)[^.]{0,20}(?:painful|pain|hurts)",
        30,
      ),
      `眼(?:睛)?${HAN_GAP}{0,4}(?:红|疼|痛)${HAN_GAP}{0,6}(?:怕光|畏光|看不清|视力下降)`,
    ),
  },
  {
    code: "run-out-of-insulin",
    system: "metabolic",
    urgency: "urgent",
    source: "ADA Standards of Care §6/§9 (insulin omission → DKA risk; urgent supply)",
    re: rx(
      "(?:ran|run|running|have run) out of (?:my |his |her )?(?:\\w+ ){0,3}insulin|(?:no|lost (?:my|his|her)|broke (?:my|his|her)) (?:\\w+ ){0,2}insulin(?: pen| pens| vials?)?\\b[^.]{0,30}(?:closed|until|can'?t get|left)|insulin (?:pump )?(?:has )?(?:stopped working|failed|broke|broken)|pump (?:failure|stopped|broke)",
      "胰岛素" +
        HAN_GAP +
        "{0,4}(?:用完了|没了|断了|打完了|坏了)|(?:没有|没)胰岛素了|胰岛素泵" +
        HAN_GAP +
        "{0,4}(?:坏|故障|报警)",
    ),
  },
  {
    code: "shingles",
    system: "infection",
    urgency: "urgent",
    source: "NICE CKS shingles (antivirals within 72 h; same-day for the eye area)",
    re: rx(
      "shingles|herpes zoster|band of (?:painful )?(?:blisters|rash|spots)|(?:rash|blisters)[^.]{0,30}(?:left|right|one) side of (?:my|his|her|the) (?:chest|back|face|forehead|body|waist|torso)|blister\\w* rash[^.]{0,40}(?:one side|forehead|eye|band)|rash[^.]{0,20}blister\\w*[^.]{0,30}(?:one side|eye|forehead)|painful (?:rash|blisters)[^.]{0,30}one side",
      `带状疱疹|缠腰龙|蛇盘疮|(?:一侧|一边|半边)${HAN_GAP}{0,6}(?:水泡|水疱|疱疹)`,
    ),
  },
  {
    code: "sudden-hearing-loss",
    system: "general",
    urgency: "urgent",
    source: "NICE CKS sudden sensorineural hearing loss (same-day ENT)",
    re: rx(
      near(SUDDEN, "(?:lost|loss of|can'?t|cannot) (?:the )?(?:hearing|hear)|deaf", 25),
      "woke (?:up )?(?:\\w+ ){0,3}with (?:muffled|no|reduced|dull) hearing|muffled hearing|lost (?:the |my |his |her )?hearing in (?:one|my|his|her|the (?:left|right)) ear",
      `(?:早上|早晨)起来${HAN_GAP}{0,8}耳${HAN_GAP}{0,3}(?:听不清|听不见|听不到)`,
      "(?:耳朵|一边耳朵|一只耳朵)" +
        HAN_GAP +
        "{0,4}突然" +
        HAN_GAP +
        "{0,3}(?:听不见|听不到|聋)|突发性耳聋|突然" +
        HAN_GAP +
        "{0,4}(?:听不见|听不到)",
    ),
  },
  {
    code: "suspected-new-diabetes-child",
    system: "paediatric",
    urgency: "urgent",
    source: "NICE NG18 (suspected type 1 diabetes in a child: same-day referral)",
    who: "child",
    re: rx(
      "drinking (?:loads|a lot|lots|all the time|constantly|so much)|(?:very|really|always|so) thirsty|excessive thirst",
      "多饮|喝水(?:特别|非常|很)?多|老是(?:口渴|喝水)|口渴得厉害",
    ),
    needs: [
      rx(
        "wee\\w*|pee\\w*|urinat\\w*|bed-?wetting|wetting the bed|lost weight|weight loss|losing weight|多尿|尿多|尿床|瘦了|体重下降",
      ),
    ],
  },
  {
    code: "tetanus-prone-wound",
    system: "infection",
    urgency: "urgent",
    source: "UKHSA Green Book ch.30 / NHS: tetanus-prone wounds need assessment",
    re: rx(
      near(
        "rusty|rust|soil|manure|dirty|garden\\w*|nail|barbed wire|animal",
        "cut|wound|gash|puncture|stepped on|scratch\\w*|stabbed",
        30,
      ),
      near("生锈|铁锈|泥土|钉子|铁片|铁丝", "划|扎|割|刺|伤", 10),
    ),
  },
  {
    code: "new-bleeding",
    system: "general",
    urgency: "urgent",
    source: CAT_SRC.generic,
    re: rx(
      "(?:nose ?bleeds?)[^.]{0,30}(?:several|(?:two|three|four|five|\\d+) times|again and again|keeps?|recurr\\w*|every day)|(?:keep getting|recurrent|frequent|repeated) nose ?bleeds|blood in (?:my |his |her )?(?:urine|pee|wee)|(?:peeing|passing) blood|h(?:a)?ematuria|bleeding from (?:my |his |her |the )?(?:ear|ears|nipple|gums? (?:a lot|won'?t stop))|nosebleed[^.]{0,20}(?:won'?t stop|for (?:\\d+|over) (?:min|hour)|20 min)",
      "(?:流了?|出了?)(?:[二三四五六七八九十几两]|\\d+)次鼻血|鼻血" +
        HAN_GAP +
        "{0,10}(?:好几次|反复|经常|老是)|反复(?:流)?鼻血|尿血|血尿|尿(?:里|中)(?:有)?血|耳朵(?:流血|出血)|鼻血(?:止不住|流了半)",
    ),
  },
  {
    code: "possible-recurrent-hypoglycemia",
    system: "metabolic",
    urgency: "urgent",
    source: "ADA Standards of Care §6 (recurrent or nocturnal hypoglycemia: review treatment)",
    re: rx(
      "night sweats|nightmares|(?:drenched|soaked|soaking|wake up|waking|woke|woken)[^.]{0,25}(?:sweat\\w*)|sweat\\w*[^.]{0,30}(?:shak\\w*|trembl\\w*|dizz\\w*|palpitation\\w*|hungry|racing)",
      "(?:出|冒)(?:虚|冷)?汗|虚汗|冷汗|枕头(?:都)?(?:会)?(?:湿|弄湿)|盗汗",
    ),
    needs: [
      rx(
        "again|every (?:night|morning)|most nights|(?:two|three|four|five|several|\\d+) (?:nights|times)|keep|keeps|often|regularly|repeated\\w*|recurr\\w*|several times|经常|老是|总是|反复|每晚|天天|好几次|有时候",
      ),
      rx(
        "shak\\w*|trembl\\w*|dizz\\w*|palpitation\\w*|racing|hungry|confus\\w*|readings?|sugar|glucose|insulin|gliclazide|glipizide|glimepiride|glyburide|sulfonyl\\w*|头晕|晕|心慌|手抖|饿|血糖|胰岛素|格列|糖尿病",
      ),
    ],
  },
  {
    code: "urinary-tract-infection",
    system: "gu",
    urgency: "urgent",
    source: "NICE NG109 (lower UTI: clinical assessment, antibiotic decision)",
    re: rx(
      "(?:burn\\w*|stings?|hurts?|painful) (?:when|to) (?:i |she |he )?(?:pee|wee|urinate)|burning (?:with|on) urination|(?:painful|stinging|burning) (?:urination|pee|wee)|dysuria|urine infection|\\buti\\b|cystitis",
      "尿痛|尿道(?:疼|痛|烧|灼)|尿路感染|小便(?:疼|痛|烧|灼)",
    ),
  },
  {
    code: "cellulitis",
    system: "infection",
    urgency: "urgent",
    source: "NICE NG141 (cellulitis and erysipelas)",
    re: rx(
      near(
        "red|redness|warm|hot|swollen|swelling",
        "spreading|has spread|getting bigger|got bigger|growing|grown|expanding|cellulitis",
        40,
      ),
      "cellulitis",
      near("红肿|发红|发烫|发热", "扩散|蔓延|越来越大|一天比一天大|变大", 12),
      "红肿热痛",
      "蜂窝织炎|丹毒",
    ),
  },
  {
    code: "ear-infection-fever",
    system: "infection",
    urgency: "urgent",
    source: "NICE NG91 (acute otitis media) / NHS: ear infections",
    re: rx(
      "ear ?ache|ear pain|pain in (?:his|her|my|the) ear|(?:pulling|tugging) (?:at )?(?:his|her) ear|discharge from (?:the |his |her |my )?ear",
      "耳朵(?:疼|痛)|耳痛|耳朵流脓|中耳炎",
    ),
    needs: [new RegExp(FEVER, "g")],
  },
  {
    code: "sore-throat-bacterial-features",
    system: "infection",
    urgency: "urgent",
    source: "NICE NG84 (sore throat: FeverPAIN / Centor)",
    re: rx(
      "(?:white|yellow) (?:patches|spots|pus)|pus on (?:the |his |her |my )?tonsils|swollen tonsils|tonsillitis|strep throat|quinsy|(?:can'?t|cannot|unable to) (?:swallow|open (?:my|his|her) mouth)[^.]{0,20}(?:throat|sore)",
      "扁桃体(?:肿|化脓|发炎|有白)|化脓性扁桃体炎|咽不下(?:东西|饭|水)",
    ),
    needs: [rx(FEVER, "sore throat|throat|嗓子|喉咙")],
  },
  {
    code: "new-vertigo",
    system: "neuro",
    urgency: "urgent",
    source: "NICE CKS vertigo (new vertigo: assessment; HINTS to exclude central causes)",
    re: rx(
      "vertigo|room (?:is |was |keeps )?spinning|(?:everything|the room) spins|spinning sensation",
      "天旋地转|眩晕|房子在转|屋子在转",
    ),
    reject: (clause) => /for (?:years|months)|chronic|多年/.test(clause),
  },
  {
    code: "necrotising-infection",
    system: "infection",
    urgency: "emergency",
    source: "NICE NG141 / FDA Drug Safety Communication 2018 (Fournier's gangrene with SGLT2 inhibitors)",
    re: rx(
      "fournier\\w*|necroti[sz]ing|flesh[- ]eating|pain out of proportion|(?:wound|cut|bite|skin|sore)[^.]{0,30}(?:turning|turned|gone|going) (?:black|purple|dusky)[^.]{0,40}(?:pain\\w*|fever|unwell|spreading)|(?:perine\\w*|genital|scrot\\w*|groin) (?:pain|swelling|redness)[^.]{0,40}(?:spreading|severe|fever|black|getting worse)|(?:severe|spreading) (?:perine\\w*|genital|scrot\\w*) (?:pain|swelling|redness)",
      `会阴${HAN_GAP}{0,6}(?:剧痛|红肿|肿痛)${HAN_GAP}{0,8}(?:扩散|蔓延|发烧|发黑)|坏死性筋膜炎|(?:伤口|皮肤|腿|脚|手)${HAN_GAP}{0,6}(?:发黑|变黑|发紫)${HAN_GAP}{0,10}(?:疼得受不了|剧痛|痛得厉害|疼得厉害|高烧|发烧|发热)`,
    ),
  },
  {
    code: "kawasaki-features",
    system: "paediatric",
    urgency: "emergency",
    source: "AHA 2017 Kawasaki disease statement / NICE NG143 (fever ≥ 5 days with Kawasaki features)",
    re: rx(
      "kawasaki|strawberry tongue|(?:red|cracked|peeling) (?:cracked |red )?lips[^.]{0,60}(?:eyes|conjunctiv\\w*|rash)|conjunctiv\\w*[^.]{0,60}(?:cracked lips|strawberry|peeling)",
      `川崎病|草莓舌|嘴唇(?:干裂|皲裂)${HAN_GAP}{0,12}(?:眼睛红|结膜)`,
    ),
    needs: [new RegExp(FEVER, "g")],
  },
  {
    code: "deformed-limb",
    system: "trauma",
    urgency: "emergency",
    source: "NHS: broken arm or wrist / broken leg — go to A&E for a deformed or bent limb",
    re: rx(
      near(
        "fell|fall|fallen|twist\\w*|hit|injur\\w*|landed|tripped|crash\\w*|knock\\w*|accident",
        "(?:bent|deformed|crooked|misshapen|out of shape|at a (?:strange|weird|funny) angle|out of place)(?: looking)?|looks (?:bent|deformed|wrong)",
        60,
      ),
      near("摔|跌|撞|砸|扭", "变形|畸形|歪了|错位", 16),
    ),
  },
  {
    code: "drowning",
    system: "respiratory",
    urgency: "emergency",
    source: "Resuscitation Council UK / NHS: drowning — call 999 even if the person seems well",
    re: rx(
      "drown\\w*|near[- ]drown\\w*|(?:pulled|taken|dragged|rescued) (?:out of|from) (?:the )?(?:water|pool|sea|river|lake|bath)|under ?water for",
      `溺水|落水|呛水${HAN_GAP}{0,8}(?:咳|喘|迷糊|昏)`,
    ),
  },
  {
    code: "intussusception-signs",
    system: "paediatric",
    urgency: "emergency",
    source: "NICE CKS / NHS: intussusception — call 999 (redcurrant-jelly stools, drawing legs up)",
    re: rx(
      "red ?currant[- ]jelly|(?:poo+p?|stools?|nappy)[^.]{0,20}(?:red |bloody )?jelly|(?:red|bloody) jelly|jelly[- ]like (?:stools?|poo+p?)|(?:drawing|pulling|pulls|draws) (?:his|her|their|the) (?:legs|knees) up[^.]{0,40}(?:scream\\w*|cry\\w*|vomit\\w*|pain)",
      `果酱样(?:大)?便|(?:阵发性)?哭闹${HAN_GAP}{0,8}(?:蜷腿|屈腿)`,
    ),
  },
  {
    code: "infant-vomiting-or-dehydration",
    system: "paediatric",
    urgency: "emergency",
    source: CAT_SRC.ng143,
    who: "infant",
    re: rx(
      "projectile vomit\\w*|vomit\\w*[^.]{0,30}(?:every feed|after (?:every|each) feed|green|bile)|(?:fewer|no|hardly any) wet (?:nappy|nappies|diapers?)|not feeding|won'?t feed|refusing (?:feeds|the bottle)",
      "喷射(?:状|性)?(?:呕吐|吐奶)|吐(?:黄|绿)水|尿布湿得少|尿(?:很|特别)?少|不吃奶|拒奶",
    ),
  },
  {
    code: "bells-palsy-pattern",
    system: "neuro",
    urgency: "urgent",
    source: "NICE CKS Bell's palsy (forehead involved, no other deficit: same-day assessment, steroids within 72 h)",
    re: rx(
      "bell'?s palsy|(?:whole|entire) (?:left |right )?side of (?:my|his|her|the) face[^.]{0,40}(?:forehead|eyebrow)|(?:including|and) (?:the |my |his |her )?forehead|can'?t (?:raise|wrinkle|lift) (?:my|his|her) (?:eyebrow|forehead)",
      "面瘫|额头(?:也)?皱不起来|额纹(?:消失|变浅)|抬不起眉毛",
    ),
  },
  {
    code: "rectal-bleeding",
    system: "gi",
    urgency: "urgent",
    source: "NICE NG12 (rectal bleeding: assessment; urgent referral ≥ 50) / NHS: bleeding from the bottom",
    re: rx(
      "blood (?:on|in) (?:the )?(?:toilet paper|toilet|tissue|underwear|stools?|poo+p?)|rectal bleeding|bleeding from (?:my|his|her|the) (?:bottom|back passage|rectum|anus)|bright red blood[^.]{0,20}(?:paper|toilet|wip\\w*|bottom)",
      "便血|大便(?:带血|有血)|(?:纸|厕纸)上(?:有)?血|肛门出血",
    ),
  },
  {
    code: "genital-infection-sglt2",
    system: "gu",
    urgency: "urgent",
    source: "FDA labels (SGLT2 inhibitors: genital mycotic infections; Fournier's gangrene warning)",
    re: rx(
      "thrush|yeast infection|itch\\w*[^.]{0,15}(?:down there|groin|genital\\w*|vagina\\w*|vulva\\w*|penis|foreskin)|(?:cottage cheese|thick white) discharge",
      "下面痒|外阴(?:瘙)?痒|阴部(?:瘙)?痒|白带(?:像|如)?豆腐渣|龟头(?:红|痒|发炎)|霉菌性阴道炎",
    ),
    needs: [rx("gliflozin|jardiance|farxiga|forxiga|invokana|steglatro|synjardy|xigduo|sglt|列净")],
  },
  {
    code: "biliary-colic",
    system: "gi",
    urgency: "urgent",
    source: "NICE CG188 (gallstone disease: assess biliary colic; same day with fever or jaundice → emergency)",
    re: rx(
      "right upper (?:quadrant|abdomen|side|tummy)[^.]{0,20}(?:pain|ache)|pain (?:under|below) (?:my |the |his |her )?right ribs|gall ?stone (?:pain|attack)|biliary colic",
      `右上腹${HAN_STOP}{0,4}(?:疼|痛)|胆(?:结石|囊)${HAN_GAP}{0,4}(?:疼|痛|发作)|胆绞痛`,
    ),
  },
  {
    code: "itching-in-pregnancy",
    system: "pregnancy",
    urgency: "urgent",
    source: "RCOG Green-top 43 (intrahepatic cholestasis of pregnancy: itching of palms and soles → same-day bile acids)",
    who: "pregnant",
    re: rx("itch\\w*|pruritus", "痒|瘙痒"),
  },
  {
    code: "renal-colic-red-flag",
    system: "gu",
    urgency: "emergency",
    source: CAT_SRC.renal,
    re: rx(
      "(?:renal|ureteric|kidney) colic|kidney stones?|(?:waves? of|colicky) pain[^.]{0,40}(?:side|loin|flank|back|groin)|(?:side|loin|flank)[^.]{0,40}(?:going |spreading |radiating |moving )(?:down )?(?:in)?to (?:the |his |her |my )?groin|(?:loin|flank) pain|(?:pain|ache)[^.]{0,30}(?:coming in waves|comes in waves)",
      "肾结石|输尿管结石|肾绞痛|腰(?:部)?绞痛|绞痛",
    ),
    needs: [
      rx(FEVER, "vomit\\w*|been sick|shiver\\w*|rigors|severe|unbearable|worst|excruciating|呕吐|吐了|寒战|受不了|打滚|剧烈"),
    ],
  },
  {
    code: "renal-colic",
    system: "gu",
    urgency: "urgent",
    source: `${CAT_SRC.renal} (without fever or vomiting: urgent same-day assessment)`,
    re: rx(
      "(?:renal|ureteric|kidney) colic|kidney stones?|(?:waves? of|colicky) pain[^.]{0,40}(?:side|loin|flank|back|groin)|(?:side|loin|flank)[^.]{0,40}(?:going |spreading |radiating |moving )(?:down )?(?:in)?to (?:the |his |her |my )?groin|(?:loin|flank) pain[^.]{0,30}(?:groin|waves)|(?:pain|ache)[^.]{0,30}(?:coming in waves|comes in waves)",
      "肾结石|输尿管结石|肾绞痛|腰(?:部)?绞痛|腰" +
        HAN_STOP +
        "{0,4}(?:一阵一阵|阵发性)" +
        HAN_STOP +
        "{0,2}(?:绞痛|疼|痛)|腰(?:部)?" +
        HAN_STOP +
        "{0,6}(?:向下腹|放射)",
    ),
  },
  {
    code: "giant-cell-arteritis-visual",
    system: "eye",
    urgency: "emergency",
    source: "NICE CKS: giant cell arteritis (visual symptoms: same-day emergency ophthalmology); BSR 2020 GCA guideline",
    re: rx(
      "giant cell arteritis|temporal arteritis|(?:temple|temporal)[^.]{0,80}(?:jaw|chew\\w*)|jaw (?:hurts|pain|aches?|claudication|tires)[^.]{0,30}(?:chew\\w*|eat\\w*)",
      `巨细胞动脉炎|颞动脉炎|太阳穴${HAN_GAP}{0,30}(?:嚼|咀嚼|下巴|下颌)`,
    ),
    needs: [/vision|sight|(?:can'?t|cannot) see|blind|dim\w*|blurr\w*|double|视力|看不清|看不见|视物模糊|模糊|重影|失明/g],
  },
  {
    code: "giant-cell-arteritis",
    system: "neuro",
    urgency: "urgent",
    source: "NICE CKS: giant cell arteritis (suspected: same-day assessment); BSR 2020 GCA guideline",
    re: rx(
      "giant cell arteritis|temporal arteritis|(?:temple|temporal)[^.]{0,80}(?:jaw|chew\\w*)|jaw (?:hurts|pain|aches?|claudication|tires)[^.]{0,30}(?:chew\\w*|eat\\w*)|(?:new|started getting|getting)[^.]{0,20}headaches?[^.]{0,40}(?:never had|first time|for (?:\\d+|two|three|a few) (?:days|weeks))[^.]{0,40}|(?:headaches?)[^.]{0,30}(?:never had (?:them|one|headaches) before)",
      `巨细胞动脉炎|颞动脉炎|太阳穴${HAN_GAP}{0,30}(?:嚼|咀嚼|下巴|下颌)`,
    ),
  },
  {
    code: "severe-skin-reaction",
    system: "allergy",
    urgency: "emergency",
    source: "NHS: Stevens-Johnson syndrome — call 999 or go to A&E; MHRA Drug Safety Update (SJS/TEN)",
    re: rx(
      "stevens[- ]johnson|toxic epidermal|(?:blister\\w*|peeling)[^.]{0,60}(?:mouth|lips|eyes|genital\\w*)|(?:sores|ulcers|blisters) (?:in|on) (?:her|his|my|the|their) (?:mouth|lips|eyes)[^.]{0,60}(?:rash|blister\\w*|skin)|skin (?:is )?(?:peeling|coming) off|(?:rash|skin)[^.]{0,30}blister\\w*[^.]{0,30}(?:fever|spreading|all over)",
      `(?:水泡|起泡|水疱)${HAN_GAP}{0,20}(?:口腔|嘴里|嘴唇|眼睛)|(?:口腔|嘴里|嘴唇|眼睛)${HAN_GAP}{0,12}(?:溃烂|起泡|水泡|水疱)${HAN_GAP}{0,12}(?:皮疹|全身|发烧)|皮肤(?:大片)?(?:脱落|剥脱)|全身${HAN_GAP}{0,4}(?:起)?(?:水泡|水疱)${HAN_GAP}{0,4}脱皮|(?:水泡|水疱|脱皮)${HAN_GAP}{0,12}(?:嘴里|口腔)${HAN_GAP}{0,3}(?:都)?(?:烂|溃烂)`,
    ),
  },
  {
    code: "hip-fracture-signs",
    system: "trauma",
    urgency: "emergency",
    source: "NICE CG124 (hip fracture); NHS: broken hip — call 999 or go to A&E",
    re: rx(
      "(?:leg|foot) (?:looks |is |seems |appears |now )*(?:shorter|shortened|turned (?:out|outwards|outward|in)|rotated|twisted outwards?)|(?:broken|fractured) hip",
      `(?:腿|脚)${HAN_STOP}{0,4}(?:变短|短了|外旋|向外(?:翻|转|撇))|髋(?:部|关节)?骨折|股骨颈骨折`,
    ),
  },
  {
    code: "antepartum-haemorrhage",
    system: "pregnancy",
    urgency: "emergency",
    source:
      "RCOG Green-top Guideline 63 (antepartum haemorrhage); NHS: bleeding in later pregnancy — contact the maternity unit or call 999",
    who: "pregnant",
    re: rx(
      "(?:(?:painful|heavy) )?(?:vaginal )?bleed\\w*[^.]{0,40}(?:tense|hard|rigid|tender)[^.]{0,10}(?:uterus|womb|tummy|belly|bump)|(?:placental abruption|abruption|placenta previa|placenta praevia)|(?:2[4-9]|3\\d|4[0-2]) weeks?[^.]{0,40}(?:heavy |sudden |painful |bright red )?(?:vaginal )?bleed\\w*|(?:heavy |sudden |painful )(?:vaginal )?bleed\\w*[^.]{0,40}(?:2[4-9]|3\\d|4[0-2]) weeks?",
      `(?:怀孕|孕)(?:2[4-9]|3\\d|4[0-2]|[二三四][十]?[一二三四五六七八九]?)(?:周|个?星期)${HAN_GAP}{0,12}(?:阴道)?(?:流血|出血|见红)|(?:流血|出血)${HAN_GAP}{0,10}(?:肚子|腹部|子宫)${HAN_STOP}{0,4}(?:硬|发硬|紧|疼|痛)|胎盘早剥|前置胎盘${HAN_GAP}{0,8}(?:出血|流血)`,
    ),
  },
  {
    code: "aki-hyperkalaemia-signs",
    system: "metabolic",
    urgency: "emergency",
    source:
      "NICE NG148 (acute kidney injury); UK Kidney Association 2023 hyperkalaemia guideline; NHS: irregular heartbeat with weakness — call 999",
    re: rx(
      near(
        "(?:hardly|barely|not) (?:passed|passing|peed|peeing|weeing) (?:any )?(?:urine|water)?|(?:very )?little urine|passing very little",
        "irregular|(?:very|really|extremely) weak|can'?t stand|confus\\w*|drowsy|palpitat\\w*|heart (?:is )?(?:racing|skipping|fluttering)",
        60,
      ),
      near(
        "尿(?:很|特别|非常)?少|几乎没(?:有)?尿|没怎么(?:尿|小便)",
        "心跳(?:不齐|乱)|心律不齐|(?:很|特别|非常)?(?:无力|没劲)|站不起来|迷糊",
        20,
      ),
    ),
  },
  {
    code: "psychosis-or-mania",
    system: "mental-health",
    urgency: "urgent",
    source: "NHS: psychosis — see a GP urgently or call 111 (999 if someone is at risk); NICE CG178 / CG185",
    re: rx(
      "(?:haven'?t|hasn'?t|not) slept (?:in|for) (?:\\d+|two|three|four|five|several|a few) (?:days|nights)|racing thoughts|thoughts (?:are |keep )?racing|hearing voices|hears voices|(?:thinks|believes|says|convinced) (?:that )?(?:people|someone|they|everyone|the neighbou?rs) (?:are|is) (?:out to get|trying to (?:hurt|kill|poison)|watching|following|after|spying)|paranoi\\w*|hallucinat\\w*|psychosis|psychotic|manic episode",
      `有人(?:要)?(?:害|跟踪|监视|下毒)(?:他|她|我)?|听到(?:有人|声音)(?:说话|骂)|幻听|幻觉|(?:几|好几|两|三|四|五)(?:天|晚)(?:几夜)?(?:都)?(?:没|不)(?:睡|合眼)${HAN_GAP}{0,16}(?:兴奋|话多|停不下来|想法|害怕)|胡思乱想停不下来|精神病发作|躁狂`,
    ),
  },
  {
    code: "possible-waters-leaking",
    system: "pregnancy",
    urgency: "urgent",
    source: "NHS: waters breaking early — call your midwife or maternity unit straight away; RCOG Green-top 73 (PPROM)",
    who: "pregnant",
    re: rx(
      "not sure if (?:it'?s|its|it is) (?:my )?waters|(?:more|increased|lots of) (?:watery|clear) (?:discharge|fluid)|(?:watery|clear) (?:discharge|fluid)[^.]{0,40}(?:waters?|leaking)",
      `是不是(?:破水|羊水)|(?:分泌物|白带)${HAN_STOP}{0,4}(?:很|特别|越来越)?(?:多|稀)${HAN_STOP}{0,4}(?:像水|水样)|水样(?:分泌物|白带)`,
    ),
  },
  {
    code: "suspected-new-diabetes",
    system: "metabolic",
    urgency: "urgent",
    source:
      "NICE NG17 / NG28 and ADA Standards §2: thirst, polyuria and weight loss (symptomatic hyperglycaemia) — same-day assessment",
    re: rx(
      "(?:very|really|always|so|constantly|extremely|unusually) thirsty|drinking (?:loads|a lot|lots|all the time|constantly|so much)|excessive thirst|polydipsia",
      "多饮多尿|多饮|喝水(?:特别|非常|很)?多|老是(?:口渴|喝水)|口渴得厉害|(?:特别|非常|总是|老是)口渴",
    ),
    needs: [
      rx("wee\\w*|pee\\w*|urinat\\w*|passing urine|polyuria|toilet|多尿|尿多|小便多|老跑厕所"),
      rx(
        "lost (?:\\d+ ?(?:kg|kilos?|lbs?|pounds|stone)|weight)|weight loss|losing weight|瘦了|体重(?:下降|减轻|掉)|掉了(?:\\d+|[一二三四五六七八九十几]+)(?:斤|公斤)",
      ),
    ],
  },
  {
    code: "clinical-red-flag-sign",
    system: "general",
    urgency: "emergency",
    source: `${CAT_SRC.news2}; ${CAT_SRC.sepsis}; NICE CG50 (acutely ill adults: physiological red flags)`,
    // Signs a clinician's vignette names that need emergency care whatever the diagnosis.
    re: rx(
      "cyano\\w*|stridor|nuchal rigidity|kernig|brudzinski|opisthotonus|obtunded|stupor\\w*|gcs (?:of )?(?:[3-9]|1[0-3])\\b|glasgow coma (?:scale|score) (?:of )?(?:[3-9]|1[0-3])\\b|unrousable|unresponsive|peritonism|peritonitis|guarding|rebound tenderness|rigid abdomen|absent (?:pulses?|breath sounds)|pulseless|tracheal deviation|haemodynamically unstable|hemodynamically unstable|(?:septic|anaphylactic|hypovol(?:a)?emic|cardiogenic|electric) shock|signs of shock|went into shock|hypotensi\\w*[^.]{0,30}(?:tachycard\\w*|confus\\w*|faint\\w*|cold|clammy)|tachycard\\w*[^.]{0,30}hypotensi\\w*|capillary refill (?:time )?(?:of )?(?:> ?3|more than 3|[4-9]) ?s|sunken fontanel\\w*|anuri\\w*|haemoptysis|hemoptysis|hemiparesis|hemiplegia|focal neurolog\\w*|acute confusion|altered (?:mental status|consciousness|level of consciousness)|reduced (?:level of )?consciousness|lethargic (?:infant|baby|child|toddler)|(?:infant|baby|child|toddler) (?:is |was |seems |appears )?lethargic",
      "紫绀|发绀|喘鸣|颈项强直|意识(?:障碍|模糊|不清|丧失)|昏迷|休克|腹膜刺激征|反跳痛|板状腹|无尿|咯血|偏瘫|肢体瘫痪|脉搏摸不到|嗜睡(?:的)?(?:婴儿|宝宝|孩子)|(?:婴儿|宝宝|孩子)" +
        HAN_GAP +
        "{0,4}(?:精神差|反应差|嗜睡|萎靡)",
    ),
  },
];

/** Words that make a respiratory complaint an emergency whatever the rule that fired. */
export const RESPIRATORY_SEVERITY =
  /at rest|resting|sitting still|lying down|can'?t (?:speak|talk|walk|lie)|can'?t finish|blue|grey|gray|spo2|sats?\b|gasping|severe|worst|emergency|躺着|坐着|不动|休息|说不出|发紫|严重|厉害/;
