/** Source strings cited by flags and findings, verbatim from shared/clinical/RULES.md. */
export const SRC = {
  ada6: "ADA Standards of Care §6 (hypoglycemia)",
  dka: "Umpierrez et al., Diabetes Care 2024 consensus (DKA/HHS)",
  sickDay: "ADA patient guidance (sick-day rules)",
  foot: "NICE NG19 (diabetic foot)",
  emergency: "standard emergency triage",
  ada15: "ADA Standards of Care §15 (pregnancy)",
  ada9: "ADA Standards of Care §9 (titration bounds)",
  polypharmacy: "Masnoon 2017 (polypharmacy ≥ 5 medications)",
  complexity: "RULES.md Complexity → human review",
  metformin: "FDA Drug Safety Communication 2016; metformin label",
  kdigoMetformin:
    "KDIGO 2022 Clinical Practice Guideline for Diabetes Management in CKD, Practice Point 4.1.3 and its metformin-by-eGFR figure (eGFR 30–44: half dose, at most 1,000 mg/day)",
  sglt2: "FDA labels; ADA/KDIGO",
  glp1: "FDA boxed warning (GLP-1 RA)",
  tzd: "FDA boxed warning (thiazolidinediones)",
  dpp4: "FDA Drug Safety Communication 2016 (saxagliptin, alogliptin)",
  beers: "AGS Beers Criteria 2023",
  combo: "FDA labels (hypoglycemia with insulin or sulfonylurea)",
  formulary: "GlycoPilot formulary (guardrails/data/formulary.json)",
  audience: "GlycoPilot audience policy (no dosing directives to patients; ADA §9)",
  grounding: "GlycoPilot grounding policy",
} as const;
