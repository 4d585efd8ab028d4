/**
 * What to do while waiting for the ambulance, by emergency: the one or two lines of public
 * first-aid guidance that fit the presentation the triage found. The emergency safety net
 * used to give everyone the low-blood-sugar advice ("give 15 g of fast sugar"), which is
 * wrong for a stroke (nothing by mouth: the swallow may be unsafe) and noise for anaphylaxis
 * or chest pain. Deterministic, sourced, lay wording in both languages; a presentation with
 * no entry here (or a glucose emergency) keeps the hypoglycaemia advice.
 */
export interface FirstAid {
  /** Flag codes (triage `flags[].code`) this advice applies to. */
  codes: readonly string[];
  en: string;
  zh: string;
  source: string;
  /** Codes of other entries this advice replaces when both are found (it already says what they would). */
  supersedes?: readonly string[];
}

export const FIRST_AID: readonly FirstAid[] = [
  {
    codes: ["stroke-signs"],
    en: "Note the time the symptoms started and tell the ambulance team. Do not give food, drink or tablets: swallowing may not be safe.",
    zh: "记下症状开始的时间并告诉急救人员。不要给吃喝或服药，因为吞咽可能不安全。",
    source: "NHS: stroke — act F.A.S.T., call 999; Stroke Association: note the time symptoms started",
  },
  {
    codes: ["chest-pain", "chest-symptom-red-flag", "cardiac-arrest", "aortic-catastrophe", "acs-autonomic"],
    en: "Sit down and rest while you wait; do not drive yourself. Unlock the door if you are alone.",
    zh: "等待时坐下休息，不要自己开车去医院。如果独自一人，请先打开门锁。",
    source: "NHS: heart attack — call 999, sit down and rest while waiting",
  },
  {
    codes: ["anaphylaxis", "allergy-systemic", "epiglottitis-airway"],
    en: "If you have an adrenaline auto-injector (EpiPen), use it now. Lie down with your legs raised, or sit up if breathing is hard; a second injector may be used after 5 minutes if there is no improvement.",
    zh: "如果有肾上腺素自动注射笔，请立即使用。平躺并抬高双腿；如果呼吸困难可以坐起。5分钟后仍无好转可使用第二支。",
    source: "Resuscitation Council UK: emergency treatment of anaphylaxis (2021); NHS: anaphylaxis",
    // Breathlessness in anaphylaxis is treated with adrenaline, not the asthma reliever plan.
    supersedes: ["severe-breathlessness", "dyspnea-at-rest", "dyspnoea-worsening"],
  },
  {
    codes: ["severe-breathlessness", "dyspnea-at-rest", "dyspnoea-worsening", "choking-foreign-body"],
    en: "Sit upright and try to stay calm. If you have a reliever inhaler, use it as your asthma or COPD plan says while you wait.",
    zh: "坐直，尽量保持平静。如果有缓解用的吸入剂，请在等待时按哮喘或慢阻肺的用药计划使用。",
    source: "NHS: asthma attack — what to do; NHS: shortness of breath — call 999",
  },
  {
    codes: ["seizure"],
    en: "Do not hold the person down or put anything in their mouth. Move dangerous objects away, time the seizure, and when it stops turn them on their side.",
    zh: "不要按住患者，也不要往嘴里塞任何东西。移开周围危险物品，记录抽搐时间，停止后让患者侧卧。",
    source: "NHS: epilepsy — what to do if someone has a seizure",
  },
  {
    codes: ["suicidal-ideation", "suicide-warning-signs", "self-harm"],
    en: "You do not have to face this alone. Stay with someone you trust and move away from anything you could use to hurt yourself.",
    zh: "您不必独自面对。请和您信任的人待在一起，远离可能伤害自己的物品。",
    source: "NHS: help for suicidal thoughts — call 999 or go to A&E if you have harmed yourself or cannot keep yourself safe",
  },
  {
    codes: ["overdose-poisoning", "wrong-or-extra-medication", "carbon-monoxide"],
    en: "Keep the packets or containers of whatever was taken and show them to the ambulance team. Do not try to make the person sick.",
    zh: "保留所服药物或物品的包装，交给急救人员。不要催吐。",
    source: "NHS: poisoning — what to do (do not make the person sick; take the packaging)",
  },
  {
    codes: ["uncontrolled-bleeding", "major-trauma", "gi-bleeding", "bleeding-with-shock"],
    en: "For bleeding you can see, press firmly on it with a clean cloth and keep pressing. Do not eat or drink until you have been seen.",
    zh: "能看到的出血处，请用干净的布用力压住，持续按压。就诊前不要进食或喝水。",
    source: "NHS: cuts and grazes / severe bleeding — apply pressure, call 999; NHS: vomiting blood",
  },
  {
    codes: [
      "ectopic-pattern",
      "pregnancy-bleeding",
      "pregnancy-pain-or-faint",
      "severe-abdominal-pain",
      "testicular-pain",
      "ruptured-or-perforated",
    ],
    en: "Do not eat or drink until you have been seen, in case you need an operation.",
    zh: "就诊前不要进食或喝水，因为可能需要手术。",
    source: "NHS: ectopic pregnancy / testicular torsion / appendicitis — emergency surgery may be needed",
  },
];

/** Glucose emergencies keep the hypoglycaemia advice (the first-aid lines below are for other systems). */
const GLUCOSE_CODES = /^(hypo|hyper|dka|hhs|euglycemic|severe-hyper|possible-recurrent-hypo)/;

export interface FirstAidChoice {
  /** Lines to add after the call-for-help sentence, in order (at most two presentations). */
  lines: FirstAid[];
  /** The low-blood-sugar advice stays: a glucose emergency, or nothing more specific was found. */
  keepHypoAdvice: boolean;
}

/** The first-aid lines for the emergency flags of a triage (emergency-level flags only). */
export function firstAidFor(emergencyCodes: readonly string[]): FirstAidChoice {
  const glucose = emergencyCodes.some((c) => GLUCOSE_CODES.test(c));
  const lines: FirstAid[] = [];
  for (const code of emergencyCodes) {
    const entry = FIRST_AID.find((f) => f.codes.includes(code));
    if (entry && !lines.includes(entry)) lines.push(entry);
  }
  const replaced = new Set(lines.flatMap((l) => l.supersedes ?? []));
  // In the table's order (the most time-critical first), at most two presentations.
  const chosen = lines
    .filter((l) => !l.codes.some((c) => replaced.has(c)))
    .sort((a, b) => FIRST_AID.indexOf(a) - FIRST_AID.indexOf(b))
    .slice(0, 2);
  // A glucose emergency keeps the sugar advice even beside a "nothing by mouth" line: it is given only
  // to someone awake who can swallow, and never to someone who cannot be woken or is seizing.
  return { lines: chosen, keepHypoAdvice: glucose || chosen.length === 0 };
}
