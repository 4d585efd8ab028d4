/**
 * POST /v1/enrollment-codes {patientRef} → {code, expiresAt}: the clinic issues a single-use
 * code a patient sends on a patient channel ("绑定 123456") to link it to their record. Mounted
 * by the composition root when a patient channel with binding (policy.ts) is.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../core/errors.js";
import { matchToken, parseApiTokens } from "../auth/credentials.js";
import { readJson } from "../http.js";
import type { AppEnv, Services } from "../services.js";
import type { BindingStore } from "./binding-store.js";

const EnrollmentRequest = z.object({ patientRef: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/) });

function authorizeAdmin(s: Services, header: string | undefined): void {
  const entries = parseApiTokens(s.config.API_TOKENS);
  if (!entries.length) return; // no API tokens configured: the API is open (development), as elsewhere
  const principal = matchToken(entries, header?.replace(/^Bearer\s+/i, "") ?? "");
  if (!principal || (principal.role !== "clinician" && principal.role !== "admin")) {
    throw new AppError("UNAUTHORIZED", "a clinician or admin API token is required to issue enrollment codes");
  }
}

/** Enrollment codes last 72 h unless told otherwise. */
export function enrollmentRoutes(store: BindingStore, ttlMs = 72 * 3600_000): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/v1/enrollment-codes", async (c) => {
    const s = c.var.services;
    authorizeAdmin(s, c.req.header("authorization"));
    const { patientRef } = await readJson(c, EnrollmentRequest);
    if (!(await s.results.getPatient(patientRef)))
      throw new AppError("UNKNOWN_PATIENT", "register the patient first (PUT /v1/patients/:ref)");
    const out = await store.issueCode(patientRef, s.clock(), ttlMs);
    await s.audit.append({
      kind: "enrollment-code-issued",
      caseId: `patient:${patientRef}`,
      payload: { expiresAt: out.expiresAt },
    });
    return c.json(out, 201);
  });
  return app;
}
