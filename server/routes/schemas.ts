/** Request and response bodies of the public HTTP API (also the source of /openapi.json). */
import { z } from "zod";
import { Lang, PatientContext, PipelineResult } from "../../core/domain.js";

/** The patient fields of a consultation are exactly PatientContext's (its `ref` is `patientRef` here). */
export const ConsultationRequest = PatientContext.omit({ ref: true })
  .extend({
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
