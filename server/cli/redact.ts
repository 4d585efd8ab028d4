/** `glycopilot redact [--in FILE]`: JSON Lines {"id","text"} → {"id","redacted","spans":[{"start","end","type"}]}. */
import { z } from "zod";
import { redact } from "../../guardrails/index.js";
import { mapJsonLines, parseArgs } from "./jsonl.js";

const Input = z.object({ id: z.union([z.string(), z.number()]), text: z.string().max(100_000) });

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const inFile = typeof flags.in === "string" ? flags.in : undefined;
  const errors = await mapJsonLines({ inFile }, (obj) => {
    const input = Input.parse(obj);
    const r = redact(input.text);
    return { id: input.id, redacted: r.redacted, spans: r.spans };
  });
  return errors === 0 ? 0 : 1;
}
