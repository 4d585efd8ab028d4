/**
 * A slow and broken model host under load: 50 messages (patient messages below emergency, and
 * consultations) while the stand-in answers slower than MODEL_TIMEOUT_MS, with non-JSON text,
 * with JSON of the wrong shape, or with HTTP 500. Every result must be held for review and no
 * model text may be delivered (a held patient message gets only the fixed follow-up notice).
 */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { safetyNetReply } from "../../guardrails/index.js";
import { CORPUS_DIR } from "../../rag/open.js";
import type { System } from "../../server/main.js";
import { buildTestSystem, jsonPost } from "../helpers/system.js";
import { type ModelHostStandin, type StandinReply, startModelHostStandin } from "../standins/model-host-standin.js";
import { CONSULTATION, countRows, delayed, log, modelAnswer, PATIENT, PATIENT_TEXTS, waitUntil } from "./support.js";

const N = 50;
const TIMEOUT_MS = 600;

let model: ModelHostStandin;
let sys: System;

const FAULTS = ["slow", "garbage-text", "wrong-shape", "http-500"] as const;
const faultCounts: Record<string, number> = {};

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply((req, n): StandinReply => {
    const fault = FAULTS[n % FAULTS.length] as (typeof FAULTS)[number];
    faultCounts[fault] = (faultCounts[fault] ?? 0) + 1;
    switch (fault) {
      case "slow":
        // A correct answer, too late.
        return delayed(TIMEOUT_MS * 3, { kind: "json", value: modelAnswer(req) });
      case "garbage-text":
        return { kind: "text", text: "Sure! Here is my answer: take 400 units of insulin }{ ```json" };
      case "wrong-shape":
        return {
          kind: "json",
          value: { answer: "double the metformin to 5000 mg", medications: "all of them", confidence: "very" },
        };
      default:
        return { kind: "http-error", status: 500 };
    }
  });
  sys = await buildTestSystem(
    {
      OLLAMA_HOST: model.url,
      CHROMA_PREFIX: "chaos-model", // its own (protocols-only) corpus, not the shared "test" one
      MODEL_TIMEOUT_MS: String(TIMEOUT_MS),
      WORKER_CONCURRENCY: "8",
      OLLAMA_NUM_PARALLEL: "8",
      RATE_LIMIT_SENDER_PER_MIN: "0",
      RATE_LIMIT_TOKEN_PER_MIN: "0",
    },
    { worker: true, knowledgePaths: [join(CORPUS_DIR, "protocols")] },
  );
  await sys.services.results.putPatient(PATIENT.ref as string, PATIENT);
});

afterAll(async () => {
  await sys?.stop();
  await model?.close();
});

it("model host slow or returning garbage: every result held for review, zero deliveries of model text", async () => {
  const texts = [...PATIENT_TEXTS.routine, ...PATIENT_TEXTS.urgent];
  const accepted: { id: string; urgency: string; text: string }[] = [];
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const consult = i % 3 === 0;
      const text = consult ? `${CONSULTATION.chiefComplaint} (#${i})` : `${texts[i % texts.length] as string} (#${i})`;
      const res = consult
        ? await sys.app.request("/v1/consultations", jsonPost({ ...CONSULTATION, chiefComplaint: text }))
        : await sys.app.request("/v1/messages", jsonPost({ conversationId: `mf-c${i}`, patientRef: PATIENT.ref, text }));
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string; urgency: string };
      accepted.push({ id: body.id, urgency: consult ? "consultation" : body.urgency, text });
    }),
  );
  const ids = accepted.map((a) => a.id);
  const db = sys.services.db;
  const drained = await waitUntil(
    async () => (await countRows(db, "SELECT count(*) AS n FROM results WHERE id = ANY($1)", [ids])) >= N,
    180_000,
    250,
  );
  const rows = (
    await db.query<{
      id: string;
      held: boolean;
      result: {
        reply: string | null;
        error: string | null;
        decision: { action: string; reasons: string[] };
        draft: { mode?: string } | null;
      };
    }>("SELECT id, held, result FROM results WHERE id = ANY($1)", [ids])
  ).rows;
  // The emergency path is deterministic (fixed safety-net text, no model call), so the model's
  // health cannot hold it; it is checked for fixed text only.
  const emergency = new Set(
    rows
      .filter(
        (r) => r.result.decision.action === "escalate" && (r.result.decision as { priority?: string }).priority === "emergency",
      )
      .map((r) => r.id),
  );
  const fixed = new Set((["held", "emergency"] as const).flatMap((k) => [safetyNetReply("en", k), safetyNetReply("zh", k)]));
  const notHeld = rows.filter((r) => !r.held && !emergency.has(r.id));
  const modelTextReplies = rows.filter((r) => r.result.reply !== null && !fixed.has(r.result.reply));
  // A send under the message id itself is an answer; a held notice is claimed under `<id>:notice`.
  const answerDeliveries = await countRows(db, "SELECT count(*) AS n FROM deliveries WHERE message_id = ANY($1)", [
    ids.filter((i) => !emergency.has(i)),
  ]);
  const noticeDeliveries = await countRows(db, "SELECT count(*) AS n FROM deliveries WHERE message_id = ANY($1)", [
    ids.map((i) => `${i}:notice`),
  ]);
  const actions: Record<string, number> = {};
  for (const r of rows) {
    const k = `${r.result.decision.action}${r.result.error ? ` (${r.result.error})` : ""}`;
    actions[k] = (actions[k] ?? 0) + 1;
  }
  const reasons: Record<string, number> = {};
  for (const r of rows)
    for (const x of r.result.decision.reasons) reasons[x.replace(/\d+/g, "N")] = (reasons[x.replace(/\d+/g, "N")] ?? 0) + 1;

  log(
    `model-faults: ${N} messages (${JSON.stringify(countBy(accepted.map((a) => a.urgency)))}); model calls ${model.chatRequests().length} by fault ${JSON.stringify(faultCounts)}; results in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${drained}`,
  );
  log(
    `model-faults: results ${rows.length}/${N}; held ${rows.filter((r) => r.held).length}; emergency path ${emergency.size}; other not held ${notHeld.length}; replies other than the fixed notice ${modelTextReplies.length}`,
  );
  log(
    `model-faults: answer deliveries ${answerDeliveries}; fixed-notice deliveries ${noticeDeliveries}; outcomes ${JSON.stringify(actions)}`,
  );
  log(`model-faults: reasons ${JSON.stringify(reasons)}`);
  log(
    `model-faults: emergency path (no model, fixed text) ${emergency.size}: ${JSON.stringify(accepted.filter((a) => emergency.has(a.id)).map((a) => `${a.urgency}: ${a.text}`))}`,
  );

  expect(drained).toBe(true);
  expect(rows).toHaveLength(N);
  expect(notHeld.map((r) => ({ id: r.id, decision: r.result.decision }))).toEqual([]);
  expect(modelTextReplies.map((r) => r.result.reply)).toEqual([]);
  expect(answerDeliveries).toBe(0);
});

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
