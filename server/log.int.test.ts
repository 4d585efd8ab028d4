/**
 * LOG_LEVEL=debug / trace let an operator follow one message: its HTTP request, acceptance,
 * every pipeline step and the outcome, all keyed by the message id and the trace id — and the
 * lines carry ids and codes only, never the message text or patient fields.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, jsonPost, waitForResult } from "../test/helpers/system.js";
import { createLogger, idsAndCodes } from "./log.js";
import type { System } from "./main.js";

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
    cb();
  },
});
let sys: System;
const TEXT = "Wang Fang here, phone 13912345678, fasting sugar 11.2 since Monday";

beforeAll(async () => {
  sys = await buildTestSystem({}, { log: createLogger("trace", sink) });
  await sys.services.results.putPatient("trace-p", {
    ref: "trace-p",
    age: 61,
    sex: "female",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
});
afterAll(async () => {
  await sys?.stop();
});

describe("debug and trace log events", () => {
  it("follow one message end to end by its id and trace id, with no text in any line", async () => {
    const res = await sys.app.request(
      "/v1/messages",
      jsonPost({ conversationId: "trace-conv", patientRef: "trace-p", text: TEXT }),
    );
    expect(res.status).toBe(202);
    const { id, location } = (await res.json()) as { id: string; location: string };
    const requestId = res.headers.get("x-request-id");
    await waitForResult(sys.app, location);
    const mine = lines.filter((l) => l.caseId === id && String(l.event).startsWith("audit."));
    const kinds = mine.map((l) => l.event);
    expect(kinds[0]).toBe("audit.accepted");
    expect(kinds).toEqual(expect.arrayContaining(["audit.accepted", "audit.intake", "audit.pre-check", "audit.decide"]));
    expect(mine.every((l) => typeof l.seq === "number")).toBe(true);
    // Trace level carries the payload's codes (e.g. the urgency), not text.
    expect(mine.find((l) => l.event === "audit.accepted")?.detail).toMatchObject({ channel: "http", kind: "message" });
    // The HTTP request that accepted it, by request id = the accepted event's trace id.
    expect(lines.some((l) => l.event === "http.request" && l.requestId === requestId && l.status === 202)).toBe(true);
    expect(mine.find((l) => l.event === "audit.accepted")?.traceId).toBe(requestId);
    const all = JSON.stringify(lines);
    for (const needle of ["Wang Fang", "13912345678", "fasting sugar", "since Monday"]) expect(all).not.toContain(needle);
  });

  it("idsAndCodes keeps ids, codes and numbers and drops text (English and Chinese)", () => {
    expect(
      idsAndCodes({
        code: "hypoglycemia-severe",
        messageId: "6f1c2a9e-0000-4000-8000-000000000000",
        score: 0.71,
        held: true,
        reasons: ["finding: dosing-to-patient", "RULES.md#hypo"],
        note: "patient says 我头晕",
        text: "abc",
      }),
    ).toEqual({
      code: "hypoglycemia-severe",
      messageId: "6f1c2a9e-0000-4000-8000-000000000000",
      score: 0.71,
      held: true,
      reasons: ["[omitted]", "RULES.md#hypo"],
      note: "[omitted]",
    });
  });
});
