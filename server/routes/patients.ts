/** PUT/GET /v1/patients/:ref — register the context of a patient who will send messages. */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { PatientContext } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { ID_PARAM, readJson } from "../http.js";
import type { AppEnv } from "../services.js";
import { PATIENT_EXAMPLE } from "./examples.js";
import { bodyErrors, errorResponse, idParam, jsonBody, jsonResponse } from "./openapi-doc.js";

export function patientRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ref = idParam("ref", "The patient's reference in your system (it becomes the patient ref)");
  app.put(
    "/v1/patients/:ref",
    describeRoute({
      tags: ["Patients"],
      summary: "Register or update a patient's context",
      description: "Patients must be registered before they send messages; the context is stored encrypted at rest.",
      parameters: [ref],
      requestBody: jsonBody(PatientContext.omit({ ref: true }), PATIENT_EXAMPLE),
      responses: { 200: jsonResponse("Stored", z.object({ ref: z.string() }), { ref: "pat-001" }), ...bodyErrors },
    }),
    async (c) => {
      const ref = c.req.param("ref");
      if (!ID_PARAM.test(ref)) throw new AppError("BAD_REQUEST", "patient ref must be 1-120 characters of A-Z a-z 0-9 . _ : -");
      const context = await readJson(c, PatientContext);
      await c.var.services.results.putPatient(ref, { ...context, ref });
      await c.var.services.audit.append({
        kind: "patient-registered",
        caseId: `patient:${ref}`,
        payload: { fields: Object.keys(context) },
      });
      return c.json({ ref }, 200);
    },
  );
  app.get(
    "/v1/patients/:ref",
    describeRoute({
      tags: ["Patients"],
      summary: "A registered patient's context",
      parameters: [ref],
      responses: {
        200: jsonResponse("The context", PatientContext, { ref: "pat-001", ...PATIENT_EXAMPLE }),
        404: errorResponse("Unknown patient", "UNKNOWN_PATIENT", "no patient is registered under this ref"),
      },
    }),
    async (c) => {
      const ref = c.req.param("ref");
      if (!ID_PARAM.test(ref)) throw new AppError("BAD_REQUEST", "patient ref must be 1-120 characters of A-Z a-z 0-9 . _ : -");
      const p = await c.var.services.results.getPatient(ref);
      if (!p) throw new AppError("UNKNOWN_PATIENT", "no patient is registered under this ref");
      return c.json(p);
    },
  );
  return app;
}
