/**
 * Runs the "drafts" suite on the shipped Synthea extract and prints its figures (the README
 * table is taken from this output). The assertions check the protocol, not the numbers:
 * leave-one-patient-out, no look-ahead, every metric in range, the ablation switches matter.
 */
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { SYNTHEA_CASES_FILE } from "../../rag/cases.js";
import type { EvalResult } from "../result.js";
import { suites } from "../suites.js";
import { buildDataset, neighbours, registerDraftsSuite, renderOrders, runDraftsSuite } from "./drafts.js";

let result: EvalResult;
const patients = JSON.parse(await readFile(SYNTHEA_CASES_FILE, "utf8"));

beforeAll(async () => {
  result = await runDraftsSuite({ dataFile: undefined, progress: () => () => {} });
});

describe("drafts suite (case-based mode on held-out Synthea patient-years)", () => {
  it("registers as the 'drafts' suite", () => {
    registerDraftsSuite();
    expect(suites.get("drafts")?.run).toBe(runDraftsSuite);
  });

  it("never uses the patient's own cases as neighbours, and never shows the visit year to the recommender", () => {
    const { pool, targets } = buildDataset(patients);
    expect(targets.length).toBeGreaterThan(50);
    for (const t of targets) {
      const ns = neighbours(t, pool);
      expect(ns).toHaveLength(10);
      for (const n of ns) expect(n.caseId.startsWith(`synthea:${t.patientId}:`)).toBe(false);
      for (const l of t.patient.labs) expect((l.at ?? "") < `${t.year}-01-01`).toBe(true);
    }
  });

  it("renders prediction and gold in one order-independent form", () => {
    expect(renderOrders(["HbA1c", "Glucose"], ["Metformin hydrochloride 500 MG Oral Tablet"])).toBe(
      renderOrders(["glucose", "hba1c "], ["metformin hydrochloride 500 mg"]),
    );
  });

  it("reports every metric in range, and the self/peer switches change the outcome", () => {
    const m = result.metrics;
    for (const [name, v] of Object.entries(m)) {
      if (name === "targets") continue;
      const max = /bleu|rouge/.test(name) ? 100 : 1;
      expect(v, name).toBeGreaterThanOrEqual(0);
      expect(v, name).toBeLessThanOrEqual(max + 1e-9);
    }
    expect(m["selfOnly.medRecall"]).not.toBe(m["peerOnly.medRecall"]);
    expect(m["promptCoverage.plain.meds"]).toBeLessThan(m["promptCoverage.selfPeer.meds"] as number);
    const rows = ["caseBased", "selfOnly", "peerOnly", "carryForward"].map((v) => {
      const get = (k: string) => m[v === "caseBased" ? k : `${v}.${k}`] as number;
      return {
        variant: v,
        labP: get("labPrecision").toFixed(3),
        labR: get("labRecall").toFixed(3),
        medP: get("medPrecision").toFixed(3),
        medR: get("medRecall").toFixed(3),
        dmR: get("diabetesMedRecall").toFixed(3),
        startP: get("startPrecision").toFixed(3),
        startR: get("startRecall").toFixed(3),
        bleu4: get("bleu4").toFixed(2),
        rouge1: get("rouge1").toFixed(2),
        rouge2: get("rouge2").toFixed(2),
        rougeL: get("rougeL").toFixed(2),
      };
    });
    const cover = ["plain", "self", "peer", "selfPeer"].map((p) => ({
      prompt: p,
      labs: (m[`promptCoverage.${p}.labs`] as number).toFixed(3),
      meds: (m[`promptCoverage.${p}.meds`] as number).toFixed(3),
    }));
    console.log(
      `drafts suite: ${JSON.stringify(result.details && { ...(result.details as object), variants: undefined, promptCoverage: undefined })}`,
    );
    console.table(rows);
    console.table(cover);
  });
});
