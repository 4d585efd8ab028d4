/**
 * The guideline passages the engine cites: each id is a passage of the knowledge corpus
 * (rag/corpus/guidelines/ada-2025-kdigo-2022.json, ingested with its id as chunk id), with the
 * guideline name, version and section it summarises. passages.test.ts checks that every id
 * exists in the corpus with the same section, so a citation always resolves to its text.
 */
export interface GuidelineSource {
  /** Chunk id in the knowledge store. */
  id: string;
  /** Guideline, version and section, e.g. "ADA Standards of Care 2025 §9". */
  section: string;
}

const ada = (sec: number, key: string): GuidelineSource => ({
  id: `guideline:ada-2025-s${sec}-${key}`,
  section: `ADA Standards of Care 2025 §${sec}`,
});
const kdigo = (key: string, where: string): GuidelineSource => ({
  id: `guideline:kdigo-2022-${key}`,
  section: `KDIGO 2022 Diabetes in CKD ${where}`,
});

export const G = {
  targets: ada(6, "targets"),
  a1cMonitoring: ada(6, "a1c-monitoring"),
  hypoglycaemia: ada(6, "hypoglycaemia"),
  firstLine: ada(9, "t2-first-line"),
  cardiorenal: ada(9, "cardiorenal"),
  obesity: ada(9, "obesity"),
  intensify: ada(9, "intensify"),
  insulin: ada(9, "insulin"),
  type1: ada(9, "type1"),
  deintensify: ada(9, "deintensify"),
  glp1Cautions: ada(9, "glp1-cautions"),
  b12: ada(9, "metformin-b12"),
  hfAvoid: ada(9, "hf-avoid"),
  bp: ada(10, "bp"),
  lipids: ada(10, "lipids"),
  ckdScreening: ada(11, "screening"),
  ckdTreatment: ada(11, "treatment"),
  retina: ada(12, "retina"),
  foot: ada(12, "foot"),
  olderTargets: ada(13, "targets"),
  olderDeintensify: ada(13, "deintensify"),
  youth: ada(14, "targets"),
  pregnancy: ada(15, "pregnancy"),
  ras: kdigo("rec-1-2", "Rec 1.2.1"),
  sglt2Ckd: kdigo("rec-1-3", "Rec 1.3.1"),
  finerenone: kdigo("rec-1-4", "Rec 1.4.1"),
  ckdTarget: kdigo("rec-2-2", "Rec 2.2.1"),
  metforminRenal: kdigo("pp-4-1", "Rec 4.1.1 and practice points"),
  glp1Ckd: kdigo("rec-4-2", "Rec 4.2.1"),
  suCkd: kdigo("sulfonylurea", "chapter 4 practice points"),
} as const satisfies Record<string, GuidelineSource>;

/** Every passage id the engine can cite. */
export const GUIDELINE_PASSAGE_IDS: readonly string[] = Object.values(G).map((s) => s.id);
