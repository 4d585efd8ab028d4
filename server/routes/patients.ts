/** PUT/GET /v1/patients/:ref — register the context of a patient who will send messages. */
import { Hono } from "hono";
import { PatientContext } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { ID_PARAM, readJson } from "../http.js";
import type { AppEnv } from "../services.js";

export function patientRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.put("/v1/patients/:ref", async (c) => {
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
  });
  app.get("/v1/patients/:ref", async (c) => {
    const ref = c.req.param("ref");
    if (!ID_PARAM.test(ref)) throw new AppError("BAD_REQUEST", "patient ref must be 1-120 characters of A-Z a-z 0-9 . _ : -");
    const p = await c.var.services.results.getPatient(ref);
    if (!p) throw new AppError("UNKNOWN_PATIENT", "no patient is registered under this ref");
    return c.json(p);
  });
  return app;
}
