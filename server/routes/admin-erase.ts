/**
 * POST /v1/admin/erasures {patientRef} → 200 {patientRef, erased: counts} — erase one patient's
 * data on the running server (the same operation as `glycopilot erase`). Admin API tokens only,
 * and refused outright when no API tokens are configured: an open development API must not be
 * able to destroy records.
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { AppError } from "../../core/errors.js";
import { matchToken, parseApiTokens } from "../auth/credentials.js";
import { readJson } from "../http.js";
import type { AppEnv } from "../services.js";
import { erasePatient } from "../stores/erasure.js";
import { errorResponse, jsonBody } from "./openapi-doc.js";

const ErasureRequest = z.object({ patientRef: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/) }).strict();

export function adminEraseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    "/v1/admin/erasures",
    describeRoute({
      tags: ["Patients"],
      summary: "Erase one patient's data (admin)",
      description:
        "The same operation as `glycopilot erase`: messages, results, review cases and the patient's context; the audit chain keeps an erasure event. Refused when no API tokens are configured.",
      requestBody: jsonBody(ErasureRequest, { patientRef: "pat-001" }),
      responses: {
        200: {
          description: "Erased, with counts per table",
          content: {
            "application/json": { example: { patientRef: "pat-001", erased: { messages: 3, results: 3, patients: 1 } } },
          },
        },
        400: errorResponse("Malformed body"),
      },
    }),
    async (c) => {
      const s = c.var.services;
      const entries = parseApiTokens(s.config.API_TOKENS);
      if (entries.length === 0)
        throw new AppError("FORBIDDEN", "erasure needs an admin API token; configure API_TOKENS (or use `glycopilot erase`)");
      const m = (c.req.header("authorization") ?? "").match(/^Bearer\s+(\S+)$/i);
      const principal = m?.[1] ? matchToken(entries, m[1]) : null;
      if (!principal) throw new AppError("UNAUTHORIZED", "a valid API token is required (Authorization: Bearer …)");
      if (principal.role !== "admin") throw new AppError("FORBIDDEN", "only admin tokens may erase patient data");
      const { patientRef } = await readJson(c, ErasureRequest);
      const erased = await erasePatient(s.db, s.audit, patientRef, { by: `token:${principal.name}`, traceId: c.var.requestId });
      return c.json({ patientRef, erased });
    },
  );
  return app;
}
