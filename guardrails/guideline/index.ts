/** The guideline engine (pure): plan what the guidelines expect for a patient, and check any draft against it. */
export { checkAgainstGuideline, dailyAmount, identify, matches } from "./check.js";
export { type EngineInput, guidelinePlan } from "./engine.js";
export { deriveFacts, type Facts } from "./facts.js";
export { G, GUIDELINE_PASSAGE_IDS, type GuidelineSource } from "./sources.js";
export type { Avoidance, Expectation, GuidelinePlan, PlanItem, PlanMed } from "./types.js";
