/**
 * FHIR R4 Bundle validation before intake: the Bundle's own rules (type, entries, bdl-3: every
 * transaction entry has a request), the R4 cardinalities and value sets of the elements
 * rag/fhir.ts reads, and one safety rule of ours — a Bundle describes exactly one patient, and
 * every subject/patient reference points at it, so data of two people never merges into one
 * PatientContext. Problems come back as FHIR OperationOutcome issues with FHIRPath-style
 * expressions (`Bundle.entry[3].resource.status`). Pure: no I/O.
 *
 * Source of the element rules: HL7 FHIR R4 (4.0.1) resource definitions — Bundle, Patient,
 * Observation, Condition, MedicationRequest, AllergyIntolerance, Encounter, Procedure,
 * Communication (cardinality and required bindings).
 */
import { z } from "zod";

/** Every resource type of FHIR R4 (4.0.1), from the specification's resource list. */
export const R4_RESOURCE_TYPES: ReadonlySet<string> = new Set(
  (
    "Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic Binary " +
    "BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem " +
    "ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication CommunicationRequest " +
    "CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest " +
    "CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest DeviceUseStatement " +
    "DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter Endpoint EnrollmentRequest " +
    "EnrollmentResponse EpisodeOfCare EventDefinition Evidence EvidenceVariable ExampleScenario ExplanationOfBenefit " +
    "FamilyMemberHistory Flag Goal GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization " +
    "ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice Library Linkage List " +
    "Location Measure MeasureReport Media Medication MedicationAdministration MedicationDispense MedicationKnowledge " +
    "MedicationRequest MedicationStatement MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication " +
    "MedicinalProductIndication MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured " +
    "MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition " +
    "MessageHeader MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition " +
    "OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation Person " +
    "PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson " +
    "RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment " +
    "RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition StructureDefinition " +
    "StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein " +
    "SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task " +
    "TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription"
  ).split(" "),
);

// ------------------------------------------------------------------ R4 datatypes (the parts we read)

const id = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, "must be a FHIR id (1-64 of A-Z a-z 0-9 - .)");
const date = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, "must be a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)");
const dateTime = z
  .string()
  .regex(
    /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/,
    "must be a FHIR dateTime",
  );
const Coding = z.looseObject({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const CodeableConcept = z.looseObject({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Quantity = z.looseObject({
  value: z.number().optional(),
  comparator: z.enum(["<", "<=", ">=", ">"]).optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});
const Reference = z.looseObject({ reference: z.string().optional(), display: z.string().optional() });
const Period = z.looseObject({ start: dateTime.optional(), end: dateTime.optional() });

const EVENT_STATUS = z.enum([
  "preparation",
  "in-progress",
  "not-done",
  "on-hold",
  "stopped",
  "completed",
  "entered-in-error",
  "unknown",
]);

/** The resources rag/fhir.ts maps, with their R4 required elements and required bindings. */
const RESOURCE_SCHEMAS: Record<string, z.ZodType> = {
  Patient: z.looseObject({
    id: id.optional(),
    gender: z.enum(["male", "female", "other", "unknown"]).optional(),
    birthDate: date.optional(),
  }),
  Observation: z.looseObject({
    status: z.enum(["registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"]),
    code: CodeableConcept,
    subject: Reference.optional(),
    effectiveDateTime: dateTime.optional(),
    effectivePeriod: Period.optional(),
    issued: z.string().optional(),
    valueQuantity: Quantity.optional(),
    component: z.array(z.looseObject({ code: CodeableConcept, valueQuantity: Quantity.optional() })).optional(),
  }),
  Condition: z.looseObject({
    subject: Reference,
    code: CodeableConcept.optional(),
    clinicalStatus: CodeableConcept.optional(),
    onsetDateTime: dateTime.optional(),
    onsetPeriod: Period.optional(),
    recordedDate: dateTime.optional(),
    abatementDateTime: dateTime.optional(),
  }),
  MedicationRequest: z
    .looseObject({
      status: z.enum(["active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"]),
      intent: z.enum(["proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"]),
      subject: Reference,
      medicationCodeableConcept: CodeableConcept.optional(),
      medicationReference: Reference.optional(),
      dosageInstruction: z.array(z.looseObject({ text: z.string().optional(), route: CodeableConcept.optional() })).optional(),
    })
    .refine((m) => m.medicationCodeableConcept !== undefined || m.medicationReference !== undefined, {
      message: "medication[x] is required (medicationCodeableConcept or medicationReference)",
      path: ["medicationCodeableConcept"],
    }),
  AllergyIntolerance: z.looseObject({ patient: Reference, code: CodeableConcept.optional() }),
  Encounter: z.looseObject({
    status: z.enum([
      "planned",
      "arrived",
      "triaged",
      "in-progress",
      "onleave",
      "finished",
      "cancelled",
      "entered-in-error",
      "unknown",
    ]),
    class: Coding,
    subject: Reference.optional(),
    period: Period.optional(),
  }),
  Procedure: z.looseObject({ status: EVENT_STATUS, subject: Reference, code: CodeableConcept.optional() }),
  Communication: z.looseObject({
    status: EVENT_STATUS,
    subject: Reference.optional(),
    payload: z.array(z.looseObject({ contentString: z.string().max(8000).optional() })).optional(),
  }),
};

/** Resource types the intake reads; any other valid R4 type is accepted and reported as not used. */
export const MAPPED_RESOURCE_TYPES: readonly string[] = Object.keys(RESOURCE_SCHEMAS);

const Entry = z.looseObject({
  fullUrl: z.string().optional(),
  resource: z.looseObject({ resourceType: z.string() }).optional(),
  request: z
    .looseObject({ method: z.enum(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]), url: z.string().min(1) })
    .optional(),
});
const BundleShape = z.looseObject({
  resourceType: z.literal("Bundle"),
  type: z.enum([
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
  ]),
  entry: z.array(Entry).min(1, "a Bundle for intake needs at least one entry"),
});

// ------------------------------------------------------------------ OperationOutcome

export interface OutcomeIssue {
  severity: "fatal" | "error" | "warning" | "information";
  /** FHIR IssueType: invalid, structure, required, value, not-supported, processing, … */
  code: string;
  diagnostics: string;
  expression?: string[];
}
export interface OperationOutcome {
  resourceType: "OperationOutcome";
  issue: OutcomeIssue[];
}

export const operationOutcome = (issue: OutcomeIssue[]): OperationOutcome => ({ resourceType: "OperationOutcome", issue });

function fhirPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function zodIssues(err: z.ZodError, base: string, input: unknown): OutcomeIssue[] {
  return err.issues.map((i) => {
    const missing = i.code !== "custom" && valueAt(input, i.path) === undefined;
    const code = missing ? "required" : i.code === "invalid_value" || i.code === "invalid_format" ? "value" : "invalid";
    const expr = fhirPath(base, i.path);
    return { severity: "error", code, diagnostics: `${expr}: ${missing ? "is required" : i.message}`, expression: [expr] };
  });
}

export interface BundleCheck {
  /** Errors first; warnings say which entries were not used. */
  issues: OutcomeIssue[];
  ok: boolean;
  /** The clinician's question carried by a Communication (payload.contentString), if any. */
  question?: string;
  /** The Patient's id (becomes the patient ref on registration). */
  patientId?: string;
}

const TYPES_ACCEPTED = new Set(["transaction", "collection"]);

/** Validate a Bundle for intake. Never throws: every problem is an issue. */
export function validateBundle(input: unknown): BundleCheck {
  const issues: OutcomeIssue[] = [];
  const shape = BundleShape.safeParse(input);
  if (!shape.success) {
    const base = (input as { resourceType?: unknown } | null)?.resourceType;
    if (typeof input !== "object" || input === null || Array.isArray(input) || base !== "Bundle") {
      return {
        ok: false,
        issues: [
          {
            severity: "error",
            code: "structure",
            diagnostics: `expected a FHIR R4 resource with resourceType "Bundle"${typeof base === "string" ? `, got "${base.slice(0, 60)}"` : ""}`,
            expression: ["Bundle"],
          },
        ],
      };
    }
    return { ok: false, issues: zodIssues(shape.error, "Bundle", input) };
  }
  const bundle = shape.data;
  if (!TYPES_ACCEPTED.has(bundle.type)) {
    issues.push({
      severity: "error",
      code: "not-supported",
      diagnostics: `Bundle.type "${bundle.type}" is not accepted for intake: send a transaction or collection Bundle`,
      expression: ["Bundle.type"],
    });
  }

  const patients: Array<{ index: number; id?: string; fullUrl?: string }> = [];
  const refs: Array<{ expr: string; reference: string }> = [];
  let question: string | undefined;
  const unused = new Map<string, number[]>();
  bundle.entry.forEach((entry, i) => {
    const at = `Bundle.entry[${i}]`;
    if (bundle.type === "transaction" && !entry.request) {
      issues.push({
        severity: "error",
        code: "required",
        diagnostics: `${at}.request is required in a transaction Bundle (bdl-3)`,
        expression: [`${at}.request`],
      });
    }
    const r = entry.resource;
    if (!r) {
      issues.push({
        severity: "warning",
        code: "informational",
        diagnostics: `${at} has no resource; not used`,
        expression: [at],
      });
      return;
    }
    const type = r.resourceType;
    if (!R4_RESOURCE_TYPES.has(type)) {
      issues.push({
        severity: "error",
        code: "not-supported",
        diagnostics: `${at}.resource.resourceType "${type.slice(0, 60)}" is not a FHIR R4 resource type`,
        expression: [`${at}.resource.resourceType`],
      });
      return;
    }
    const schema = RESOURCE_SCHEMAS[type];
    if (!schema) {
      const list = unused.get(type) ?? [];
      list.push(i);
      unused.set(type, list);
      return;
    }
    const parsed = schema.safeParse(r);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, `${at}.resource`, r));
      return;
    }
    const res = parsed.data as Record<string, unknown>;
    if (type === "Patient") {
      patients.push({
        index: i,
        ...(typeof res.id === "string" ? { id: res.id } : {}),
        ...(entry.fullUrl ? { fullUrl: entry.fullUrl } : {}),
      });
    }
    for (const key of ["subject", "patient"] as const) {
      const ref = (res[key] as { reference?: string } | undefined)?.reference;
      if (typeof ref === "string") refs.push({ expr: `${at}.resource.${key}.reference`, reference: ref });
    }
    if (type === "Communication" && question === undefined) {
      const text = ((res.payload as { contentString?: string }[] | undefined) ?? [])
        .map((p) => p.contentString?.trim() ?? "")
        .filter(Boolean)
        .join("\n");
      if (text) question = text;
    }
  });

  for (const [type, at] of unused) {
    issues.push({
      severity: "information",
      code: "informational",
      diagnostics: `${at.length} ${type} ${at.length === 1 ? "entry is" : "entries are"} valid FHIR but not used by intake (used: ${MAPPED_RESOURCE_TYPES.join(", ")})`,
      expression: at.slice(0, 20).map((i) => `Bundle.entry[${i}].resource`),
    });
  }
  if (patients.length !== 1) {
    issues.push({
      severity: "error",
      code: patients.length === 0 ? "required" : "business-rule",
      diagnostics:
        patients.length === 0
          ? "the Bundle has no (valid) Patient resource"
          : `the Bundle has ${patients.length} Patient resources; intake takes one patient per Bundle`,
      expression: patients.length === 0 ? ["Bundle.entry"] : patients.map((p) => `Bundle.entry[${p.index}]`),
    });
  }
  const patient = patients[0];
  if (patients.length === 1 && patient) {
    const own = new Set<string>();
    if (patient.fullUrl) own.add(patient.fullUrl);
    if (patient.id) {
      own.add(`Patient/${patient.id}`);
      own.add(`urn:uuid:${patient.id}`);
    }
    for (const r of refs) {
      const tail = r.reference.replace(/\/_history\/[^/]+$/, "");
      const matches = own.has(tail) || [...own].some((o) => o.startsWith("Patient/") && tail.endsWith(`/${o}`));
      if (!matches) {
        issues.push({
          severity: "error",
          code: "business-rule",
          diagnostics: `${r.expr} refers to a patient other than the Bundle's Patient; one Bundle must describe one patient`,
          expression: [r.expr],
        });
      }
    }
    const p = (input as { entry: { resource: { birthDate?: unknown } }[] }).entry[patient.index]?.resource;
    if (p && p.birthDate === undefined) {
      issues.push({
        severity: "error",
        code: "required",
        diagnostics: `Bundle.entry[${patient.index}].resource.birthDate is required (the patient's age is computed from it)`,
        expression: [`Bundle.entry[${patient.index}].resource.birthDate`],
      });
    }
  }
  const ok = !issues.some((i) => i.severity === "error" || i.severity === "fatal");
  return {
    ok,
    issues,
    ...(question !== undefined ? { question } : {}),
    ...(patient?.id ? { patientId: patient.id } : {}),
  };
}
