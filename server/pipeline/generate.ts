/**
 * Step 4, generate: a structured, cited draft from the model host (JSON schema output,
 * invalid JSON retried once, then held), or from the case-based recommender when no model
 * host is configured. Self-consistency samples are compared when configured.
 */
import { z } from "zod";
import { type Draft, DraftBody } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { Llm } from "../../core/ports.js";
import { CASE_BASED_VERSION, caseBasedDraft } from "./case-based.js";
import { agreement } from "./consistency.js";
import { type BuiltPrompt, buildConsultPrompt, buildPatientPrompt } from "./prompt.js";
import type { PipelineDeps, PipelineState } from "./types.js";

/** The JSON schema sent to Ollama as `format` and to Anthropic as the tool input schema. */
export const DRAFT_JSON_SCHEMA = z.toJSONSchema(DraftBody, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;

/** Parse a model's text as a DraftBody; tolerant of a fenced ```json block, strict about the shape. */
export function parseDraft(text: string): DraftBody | null {
  const fenced = text.match(/```(?:json)?\s*([\s\S]*?)```/);
  const candidate = (fenced ? fenced[1] : text)?.trim() ?? "";
  try {
    const parsed = DraftBody.safeParse(JSON.parse(candidate));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One sample: the model's answer, retried once when it is not a valid draft. */
async function sample(llm: Llm, built: BuiltPrompt, seed: number, attempts: { n: number }): Promise<DraftBody> {
  for (let i = 0; i < 2; i++) {
    attempts.n++;
    const res = await llm.complete({
      system: built.system,
      prompt: built.prompt,
      schema: DRAFT_JSON_SCHEMA,
      temperature: seed === 0 ? 0 : 0.7,
      seed,
    });
    const draft = parseDraft(res.text);
    if (draft) return draft;
  }
  throw new AppError("MODEL_INVALID_OUTPUT", "the model returned an invalid draft twice");
}

export async function generate(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  const started = performance.now();
  const attempts = { n: 0 };
  let draft: Draft;
  if (!deps.llm) {
    const body = caseBasedDraft({ ...(state.patient ? { patient: state.patient } : {}), similar: state.similar, passages: state.passages });
    draft = { ...body, mode: "case-based", provider: "case-based", model: "similar-cases", promptVersion: CASE_BASED_VERSION };
  } else {
    const built =
      state.audience === "patient"
        ? buildPatientPrompt({ lang: state.lang, question: state.redacted ?? ("" as never), passages: state.passages })
        : buildConsultPrompt({
            lang: state.lang,
            ...(state.patient ? { patient: state.patient } : {}),
            question: state.redacted ?? ("" as never),
            passages: state.passages,
            similar: state.similar,
          });
    const n = Math.max(1, deps.options.samples);
    const samples: DraftBody[] = [];
    for (let i = 0; i < n; i++) samples.push(await sample(deps.llm, built, i, attempts));
    const first = samples[0] as DraftBody;
    draft = {
      ...first,
      mode: "model",
      provider: deps.llm.provider,
      model: deps.llm.model,
      promptVersion: built.version,
      ...(n > 1 ? { agreement: agreement(samples) } : {}),
    };
  }
  await deps.audit.append({
    kind: "generate",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      mode: draft.mode,
      provider: draft.provider,
      model: draft.model,
      promptVersion: draft.promptVersion,
      modelCalls: attempts.n,
      items: { labTests: draft.labTests.length, examinations: draft.examinations.length, medications: draft.medications.length },
      confidence: draft.confidence,
      agreement: draft.agreement ?? null,
      ms: Math.round(performance.now() - started),
    },
  });
  return { ...state, draft };
}
