/**
 * `glycopilot bench` (npm run bench): every benchmark, printed as figures and as ratios
 * against baselines measured in the same process.
 */
import { benchSpine } from "../../evals/bench/spine.js";
import { fmt } from "../../evals/bench/stats.js";
import { parseArgs } from "./jsonl.js";

type Section = { name: string; run: (log: (s: string) => void) => Promise<void> };

const SECTIONS: Section[] = [
  {
    name: "spine",
    async run(log) {
      const r = await benchSpine({ log });
      log(`  ${r.consultations} consultations HTTP → queue → worker → result: ${fmt(r.perSecond, 1)} /s`);
      log(`  pipeline overhead (accept → result, model answering instantly): p50 ${fmt(r.overheadP50Ms)} ms, p95 ${fmt(r.overheadP95Ms)} ms`);
      log(`  ratio: pipeline throughput = ${fmt(r.perSecond / r.bullmqJobsPerSecond, 3)} × trivial BullMQ job throughput`);
      log(`  ratio: pipeline overhead p50 = ${fmt(r.overheadP50Ms / r.modelRoundTripP50Ms, 1)} × one stand-in model round trip`);
    },
  },
];

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const only = typeof flags.only === "string" ? flags.only.split(",") : null;
  const log = (s: string) => process.stdout.write(`${s}\n`);
  for (const s of SECTIONS) {
    if (only && !only.includes(s.name)) continue;
    log(`# ${s.name}`);
    const t = performance.now();
    await s.run(log);
    log(`  (${fmt((performance.now() - t) / 1000, 1)} s)`);
  }
  return 0;
}
