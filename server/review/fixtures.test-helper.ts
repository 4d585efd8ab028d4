/**
 * Test helpers for review, console and auth tests: a whole system (real Redis, Chroma, PGlite)
 * with the review module mounted, a recording channel standing in as "wechat", console users
 * and API tokens, and cases seeded straight into the stores (the pipeline's own tests cover
 * how cases arise; these tests start from a held or escalated result).
 */
import { randomUUID } from "node:crypto";
import type { Draft, InboundMessage, PipelineResult, Triage, Urgency } from "../../core/domain.js";
import type { Channel, Outbound } from "../../core/ports.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { hashPassword, sha256Hex, type User } from "../auth/credentials.js";
import type { System } from "../main.js";
import { type ReviewModule, type ReviewModuleOptions, reviewModule } from "./index.js";

export const SESSION_SECRET = "test-session-secret-0123456789abcdef";
export const PASSWORDS = { rev: "rev-pass-1", rev2: "rev2-pass-1", adm: "adm-pass-1", cli: "cli-pass-1" } as const;

export const TOKENS = {
  reviewer: "tok-reviewer-secret",
  admin: "tok-admin-secret",
  clinician: "tok-clinician-secret",
  patientA: "tok-patient-a-secret",
  patientB: "tok-patient-b-secret",
} as const;

export const API_TOKENS = [
  `bot-reviewer:reviewer:${sha256Hex(TOKENS.reviewer)}`,
  `ops:admin:${sha256Hex(TOKENS.admin)}`,
  `ehr:clinician:${sha256Hex(TOKENS.clinician)}`,
  `pat-A:patient:${sha256Hex(TOKENS.patientA)}`,
  `pat-B:patient:${sha256Hex(TOKENS.patientB)}`,
].join(",");

export async function testUsers(): Promise<User[]> {
  return [
    { username: "rev", role: "reviewer", passwordHash: await hashPassword(PASSWORDS.rev), slackUserId: "UREV1" },
    { username: "rev2", role: "reviewer", passwordHash: await hashPassword(PASSWORDS.rev2) },
    { username: "adm", role: "admin", passwordHash: await hashPassword(PASSWORDS.adm) },
    { username: "cli", role: "clinician", passwordHash: await hashPassword(PASSWORDS.cli) },
  ];
}

export interface RecordingChannel extends Channel {
  sent: Outbound[];
}

export function recordingChannel(name: string): RecordingChannel {
  const sent: Outbound[] = [];
  return {
    name,
    sent,
    async start() {},
    async stop() {},
    async deliver(out) {
      sent.push(out);
      return { delivered: true, detail: `recorded #${sent.length}` };
    },
  };
}

export interface ReviewTestSystem {
  sys: System;
  review: ReviewModule;
  wechat: RecordingChannel;
  stop(): Promise<void>;
}

export async function buildReviewSystem(opts: Partial<ReviewModuleOptions> = {}): Promise<ReviewTestSystem> {
  const review = reviewModule({
    sessionSecret: SESSION_SECRET,
    users: await testUsers(),
    apiTokens: API_TOKENS,
    secureCookies: false,
    ...opts,
  });
  const wechat = recordingChannel("wechat");
  const sys = await buildTestSystem(
    { API_TOKENS },
    {
      worker: false,
      // The composition root wraps the pipeline's review store with it, starts it and mounts its routes.
      review,
      plugins: [async () => ({ name: "wechat", channel: wechat })],
    },
  );
  return {
    sys,
    review,
    wechat,
    async stop() {
      await sys.stop(); // stops the review module too
    },
  };
}

export const sampleDraft = (over: Partial<Draft> = {}): Draft => ({
  labTests: [{ name: "HbA1c", reason: "glycemic control", citations: ["ada-2025#6.1"] }],
  examinations: [],
  medications: [
    {
      name: "metformin",
      dose: "500 mg",
      frequency: "twice daily",
      route: "oral",
      action: "increase",
      citations: ["ada-2025#9.3"],
    },
  ],
  recommendations: [{ text: "Review in 3 months.", citations: [] }],
  reply: "Please keep taking your medicine and book a check-up; a nurse will call you.",
  confidence: 0.55,
  mode: "model",
  provider: "ollama",
  model: "glycopilot-glm4-9b",
  promptVersion: "message-v1",
  ...over,
});

export interface SeedOptions {
  channel?: InboundMessage["channel"];
  kind?: InboundMessage["kind"];
  sender?: InboundMessage["sender"];
  conversationId?: string;
  text?: string;
  urgency?: Urgency;
  action?: "hold-for-review" | "escalate";
  /** The reply already sent (escalation with a safety net); null when held. */
  sentReply?: string | null;
  draft?: Draft | null;
  triage?: Partial<Triage>;
  patient?: InboundMessage["patient"];
}

/** Store a message, its held/escalated result and its review case, as the pipeline would. */
export async function seedCase(
  t: ReviewTestSystem,
  o: SeedOptions = {},
): Promise<{ id: string; message: InboundMessage; result: PipelineResult }> {
  const id = randomUUID();
  const s = t.sys.services;
  const message: InboundMessage = {
    id,
    kind: o.kind ?? "message",
    channel: o.channel ?? "wechat",
    conversationId: o.conversationId ?? `conv-${id.slice(0, 8)}`,
    sender: o.sender ?? { role: "patient", ref: "pat-A" },
    text: o.text ?? "My sugar has been 15 all week, should I take more metformin?",
    lang: "en",
    receivedAt: s.clock().toISOString(),
    idempotencyKey: `seed:${id}`,
    ...(o.patient ? { patient: o.patient } : {}),
  };
  const urgency = o.urgency ?? "urgent";
  const action = o.action ?? "hold-for-review";
  const sent = o.sentReply ?? null;
  const result: PipelineResult = {
    id,
    kind: message.kind,
    status: "done",
    triage: {
      urgency,
      responder: "nurse",
      flags: [{ code: "hyperglycemia-persistent", evidence: "sugar has been 15 all week", source: "RULES.md#hyper" }],
      complexity: [],
      escalate: true,
      injection: false,
      ...o.triage,
    },
    passages: [
      {
        score: 0.71,
        citation: {
          sourceId: "ada-2025",
          chunkId: "ada-2025#9.3",
          title: "ADA Standards 2025 §9",
          url: "https://example.org/ada#9",
          version: "2025",
        },
      },
    ],
    draft: o.draft === undefined ? sampleDraft() : o.draft,
    findings: [
      { code: "dosing-to-patient", severity: "block", item: "metformin", message: "dosing directive in a patient reply" },
    ],
    decision: { action, priority: urgency, reasons: ["finding: dosing-to-patient"] },
    reply: sent,
    held: sent === null,
    error: null,
  };
  await s.results.accept(message);
  await t.sys.deps.reviews.openCase({ messageId: id, priority: urgency, action, reasons: result.decision?.reasons ?? [] });
  await s.results.finish(result);
  if (sent !== null) await s.results.claimDelivery(id, message.channel, "pipeline");
  return { id, message, result };
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

/** Sign in through the real login form; returns the session cookie and the CSRF token from the queue page. */
export async function signIn(app: ReviewTestSystem["sys"]["app"], username: string, password: string) {
  const form = await app.request("/console/login");
  const loginCsrf = /gp_login_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const res = await app.request("/console/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `gp_login_csrf=${loginCsrf}` },
    body: new URLSearchParams({ username, password, _csrf: loginCsrf, next: "/console" }).toString(),
  });
  const cookie = /gp_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (res.status !== 303 || !cookie) return null;
  const page = await (await app.request("/console", { headers: { cookie: `gp_session=${cookie}` } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return { cookie: `gp_session=${cookie}`, csrf };
}
