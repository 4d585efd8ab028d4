/** The guideline engine (pure): plan what the guidelines expect for a patient, and check any draft against it. */
export { checkAgainstGuideline, dailyAmount, identify } from "./check.js";
export { guidelinePlan } from "./engine.js";
export { GUIDELINE_PASSAGE_IDS } from "./sources.js";
export type { GuidelinePlan } from "./types.js";
