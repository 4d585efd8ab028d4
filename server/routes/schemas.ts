/** Request and response bodies of the public HTTP API (also the source of /openapi.json). */
import { z } from "zod";
import { Lab, Lang, Medication, PipelineResult, Sex } from "../../core/domain.js";

export const ConsultationRequest = z
  .object({
    department: z.string().max(120).optional(),
    sex: Sex,
    age: z.number().int().min(0).max(130),
    diagnoses: z.array(z.string().min(1).max(200)).max(50).default([]),
    chiefComplaint: z.string().max(2000).optional(),
    presentIllness: z.string().max(8000).optional(),
    labs: z.array(Lab).max(200).default([]),
    medications: z.array(Medication).max(60).default([]),
    allergies: z.array(z.string().max(120)).max(50).default([]),
    egfr: z.number().min(0).max(200).optional(),
    pregnancy: z.boolean().optional(),
    dialysis: z.boolean().optional(),
    recentEvents: z.array(z.string().max(200)).max(50).default([]),
    /** The clinician's free-text question. */
    question: z.string().max(8000).optional(),
    patientRef: z.string().max(120).optional(),
    clinicianRef: z.string().max(120).optional(),
    conversationId: z.string().min(1).max(200).optional(),
    lang: Lang.optional(),
  })
  .refine((b) => Boolean(b.question || b.chiefComplaint || b.presentIllness), {
    message: "give at least one of question, chiefComplaint or presentIllness",
  });
export type ConsultationRequest = z.infer<typeof ConsultationRequest>;

export const MessageRequest = z.object({
  conversationId: z.string().min(1).max(200),
  patientRef: z.string().min(1).max(120),
  text: z.string().min(1).max(4000),
  lang: Lang.optional(),
});
export type MessageRequest = z.infer<typeof MessageRequest>;

export const Accepted = z.object({
  id: z.string(),
  status: z.enum(["queued", "processing", "done", "failed"]),
  replayed: z.boolean(),
  urgency: z.enum(["emergency", "urgent", "routine"]),
  /** For an emergency patient message: the fixed safety-net text, returned at once. */
  safetyNet: z.string().optional(),
  location: z.string(),
});

export const ResultResponse = PipelineResult.partial().extend({
  id: z.string(),
  status: z.enum(["queued", "processing", "done", "failed"]),
  mode: z.enum(["model", "case-based"]).optional(),
});

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
