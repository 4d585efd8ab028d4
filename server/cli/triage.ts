/**
 * `glycopilot triage [--in FILE]`: JSON Lines {"id","text","lang"?,"patient"?} →
 * {"id","urgency","responder","escalate","flags":[{"code","evidence","source"}],"complexity":[…],"reasons":[…]}.
 * `--catalogue` prints the sourced symptom catalogue (guardrails/CATALOGUE.md) instead.
 * `now` is the wall clock here, at the edge; guardrails themselves never read it.
 */
import { z } from "zod";
import { Lang } from "../../core/domain.js";
import { renderCatalogue } from "../../guardrails/catalogue-doc.js";
import { patientFromPlain, triage } from "../../guardrails/index.js";
import { mapJsonLines, parseArgs } from "./jsonl.js";

const Input = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string().max(20_000),
  lang: Lang.optional(),
  patient: z.record(z.string(), z.unknown()).optional(),
});

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  if (flags.catalogue === true) {
    process.stdout.write(renderCatalogue());
    return 0;
  }
  const inFile = typeof flags.in === "string" ? flags.in : undefined;
  const errors = await mapJsonLines({ inFile }, (obj) => {
    const input = Input.parse(obj);
    const patient = input.patient === undefined ? undefined : patientFromPlain(input.patient);
    if (input.patient !== undefined && patient === undefined) throw new Error("patient: not a valid patient context");
    const t = triage({ text: input.text, lang: input.lang, patient, now: new Date() });
    return {
      id: input.id,
      urgency: t.urgency,
      responder: t.responder,
      escalate: t.escalate,
      flags: t.flags.map((f) => ({ code: f.code, evidence: f.evidence, source: f.source, urgency: f.urgency })),
      complexity: t.complexity,
      // Why, in one line each: the rule, its urgency, its source and the words that fired it.
      reasons: [
        ...t.flags.map((f) => `${f.code} (${f.urgency ?? "routine"}): "${f.evidence}" — ${f.source}`),
        ...t.complexity.map((c) => `complexity ${c.code}: ${c.reason}${c.source ? ` — ${c.source}` : ""}`),
      ],
    };
  });
  return errors === 0 ? 0 : 1;
}
