/**
 * `glycopilot check-meds [--in FILE]`: JSON Lines
 * {"id","patient":{"age","egfr","conditions":[],"medications":[]},"proposed":[{"name","dose","frequency","action","purpose"?,"route"?}],"audience"?,"draftText"?}
 * → {"id","findings":[{"code","severity","drug","message","source"}]}.
 * Findings include drug–drug interactions (`interaction-…`, both drugs named in the message)
 * and `dose-missing` for a drug started or changed without a dose.
 */
import { z } from "zod";
import { checkMedications } from "../../guardrails/index.js";
import { mapJsonLines, parseArgs } from "./jsonl.js";

const Med = z.union([
  z.string(),
  z.object({
    name: z.string().min(1),
    dose: z.string().optional(),
    frequency: z.string().optional(),
    route: z.string().optional(),
  }),
]);
const Input = z.object({
  id: z.union([z.string(), z.number()]),
  patient: z.object({
    age: z.number().min(0).max(130).optional(),
    egfr: z.number().min(0).max(200).optional(),
    conditions: z.array(z.string()).default([]),
    medications: z.array(Med).default([]),
    pregnancy: z.boolean().optional(),
    dialysis: z.boolean().optional(),
  }),
  proposed: z
    .array(
      z.object({
        name: z.string().min(1),
        dose: z.string().optional(),
        frequency: z.string().optional(),
        action: z.string().optional(),
        purpose: z.string().optional(),
        route: z.string().optional(),
      }),
    )
    .min(1),
  audience: z.enum(["clinician", "patient"]).optional(),
  draftText: z.string().optional(),
});

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const inFile = typeof flags.in === "string" ? flags.in : undefined;
  const errors = await mapJsonLines({ inFile }, (obj) => {
    const input = Input.parse(obj);
    const findings = checkMedications(input);
    return {
      id: input.id,
      findings: findings.map((f) => ({ code: f.code, severity: f.severity, drug: f.item, message: f.message, source: f.source })),
    };
  });
  return errors === 0 ? 0 : 1;
}
