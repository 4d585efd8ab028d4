/** Request and response examples for the OpenAPI document (synthetic patients, no real data). */
export const CONSULTATION_EXAMPLE = {
  department: "endocrinology",
  sex: "female",
  age: 62,
  diagnoses: ["type 2 diabetes mellitus", "hypertension"],
  chiefComplaint: "Follow-up visit; HbA1c has risen over six months",
  presentIllness: "Type 2 diabetes for 8 years on metformin. Reports more thirst. No hypoglycemia.",
  labs: [
    { name: "HbA1c", value: 8.6, unit: "%" },
    { name: "eGFR", value: 72, unit: "mL/min/1.73m2" },
  ],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
  question: "How should we intensify treatment?",
};

export const MESSAGE_EXAMPLE = {
  conversationId: "conv-pat-001-2026-12",
  patientRef: "pat-001",
  text: "My fasting sugar was 7.2 this morning, is that okay?",
};

export const ACCEPTED_EXAMPLE = {
  id: "3f0c2a4e-8d1b-4c5e-9a77-2b6f1e0d9c41",
  status: "queued",
  replayed: false,
  urgency: "routine",
  location: "/v1/messages/3f0c2a4e-8d1b-4c5e-9a77-2b6f1e0d9c41",
};

export const PATIENT_EXAMPLE = {
  age: 54,
  sex: "male",
  diagnoses: ["type 2 diabetes"],
  labs: [{ name: "HbA1c", value: 7.4, unit: "%" }],
  medications: [{ name: "insulin glargine", dose: "20 units", frequency: "nightly" }],
  allergies: [],
  recentEvents: [],
};

export const RESULT_EXAMPLE = {
  id: "3f0c2a4e-8d1b-4c5e-9a77-2b6f1e0d9c41",
  kind: "message",
  status: "done",
  mode: "case-based",
  held: false,
  reply: "A fasting glucose of 7.2 mmol/L is a little above your target of 4.4–7.2 …",
  decision: { action: "send", reasons: ["patient-targets"] },
  findings: [],
  passages: [{ score: 0.82, citation: "ADA Standards of Care 2025 §6.5" }],
};
