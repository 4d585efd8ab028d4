/**
 * The schema, as an ordered list of migrations shared by PostgreSQL and PGlite.
 * Append new migrations; never edit one that has shipped.
 */
export interface Migration {
  id: string;
  sql: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    id: "0001_spine",
    sql: [
      `CREATE TABLE messages (
        id text PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        channel text NOT NULL,
        conversation_id text NOT NULL,
        sender_role text NOT NULL,
        sender_ref text NOT NULL,
        received_at text NOT NULL,
        body jsonb NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX messages_conversation ON messages (conversation_id, created_at)",
      `CREATE TABLE results (
        id text PRIMARY KEY REFERENCES messages(id),
        result jsonb NOT NULL,
        action text,
        held boolean NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE audit_events (
        seq bigint PRIMARY KEY,
        at text NOT NULL,
        kind text NOT NULL,
        case_id text NOT NULL,
        payload jsonb NOT NULL,
        trace_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`,
      "CREATE INDEX audit_events_case ON audit_events (case_id, seq)",
      `CREATE TABLE deliveries (
        message_id text NOT NULL,
        channel text NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        detail text,
        PRIMARY KEY (message_id, channel)
      )`,
      `CREATE TABLE review_cases (
        id text PRIMARY KEY,
        message_id text NOT NULL UNIQUE REFERENCES messages(id),
        status text NOT NULL,
        priority text NOT NULL,
        action text NOT NULL,
        reasons jsonb NOT NULL,
        reviewer text,
        edits text,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`,
      "CREATE INDEX review_cases_open ON review_cases (status, priority, created_at)",
      `CREATE TABLE patients (
        ref text PRIMARY KEY,
        context jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    // Channel adapters (bot/wechat, bot/handoff): enrollment codes, WeChat bindings, MsgId dedupe,
    // the Official Account's 48 h / 5-message window, and who owns each patient conversation.
    id: "0002_channels",
    sql: [
      `CREATE TABLE enrollment_codes (
        code_hash text PRIMARY KEY,
        patient_ref text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE wechat_bindings (
        openid text PRIMARY KEY,
        patient_ref text NOT NULL,
        bound_at timestamptz NOT NULL DEFAULT now()
      )`,
      "CREATE TABLE wechat_bind_failures (openid text NOT NULL, at timestamptz NOT NULL)",
      "CREATE INDEX wechat_bind_failures_openid ON wechat_bind_failures (openid, at)",
      "CREATE TABLE wechat_inbound (msg_id text PRIMARY KEY, openid text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())",
      `CREATE TABLE wechat_windows (
        openid text PRIMARY KEY,
        last_inbound_at timestamptz NOT NULL,
        sent_count integer NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE conversations (
        id text PRIMARY KEY,
        owner text NOT NULL CHECK (owner IN ('bot', 'human', 'closed')),
        patient_channel text NOT NULL,
        patient_address text NOT NULL,
        transport text NOT NULL,
        lang text NOT NULL,
        clinician_ref text,
        case_channel text,
        case_ts text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      "CREATE UNIQUE INDEX conversations_case ON conversations (case_channel, case_ts)",
      `CREATE TABLE conversation_messages (
        conversation_id text NOT NULL,
        message_id text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (conversation_id, message_id)
      )`,
    ],
  },
  {
    // Human review (server/review): acknowledgement and paging state on review cases, the pages
    // sent, and reviewers' rubric scores on the paper's six physician axes.
    id: "0003_review",
    sql: [
      "ALTER TABLE review_cases ADD COLUMN acknowledged_at timestamptz",
      "ALTER TABLE review_cases ADD COLUMN acknowledged_by text",
      "ALTER TABLE review_cases ADD COLUMN reason_code text",
      "ALTER TABLE review_cases ADD COLUMN page_level integer NOT NULL DEFAULT 0",
      `CREATE TABLE review_pages (
        case_id text NOT NULL REFERENCES review_cases(id),
        level integer NOT NULL,
        target text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        detail text,
        PRIMARY KEY (case_id, level)
      )`,
      `CREATE TABLE review_scores (
        case_id text NOT NULL REFERENCES review_cases(id),
        reviewer text NOT NULL,
        model text NOT NULL,
        treatment smallint NOT NULL CHECK (treatment BETWEEN 1 AND 5),
        medication smallint NOT NULL CHECK (medication BETWEEN 1 AND 5),
        relevance smallint NOT NULL CHECK (relevance BETWEEN 1 AND 5),
        safety smallint NOT NULL CHECK (safety BETWEEN 1 AND 5),
        reasoning smallint NOT NULL CHECK (reasoning BETWEEN 1 AND 5),
        usefulness smallint NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
        scored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, reviewer)
      )`,
      "CREATE INDEX review_scores_model ON review_scores (model)",
    ],
  },
  {
    // A claimed delivery is confirmed once the channel accepted it; a claim left unconfirmed
    // (the worker died between claiming and sending) is sent to a human, never re-sent blindly.
    id: "0004_delivery_confirmation",
    sql: ["ALTER TABLE deliveries ADD COLUMN confirmed_at timestamptz"],
  },
  // ---- secb (issue 15, item 8): PHI at rest, retention, erasure ----------------------------
  {
    // Message bodies and patient contexts are sealed by the application (server/stores/phi-crypto.ts);
    // the patient a message is about stays in clear so erasure and the retention purge need not
    // decrypt. Rows written before this migration are plain jsonb: backfilled here, sealed at start.
    id: "0005_phi_at_rest",
    sql: [
      "ALTER TABLE messages ADD COLUMN patient_ref text",
      "UPDATE messages SET patient_ref = COALESCE(body->'patient'->>'ref', CASE WHEN sender_role = 'patient' THEN sender_ref END)",
      "CREATE INDEX messages_patient ON messages (patient_ref)",
      "CREATE INDEX messages_created ON messages (created_at)",
    ],
  },
  // ---- end secb ------------------------------------------------------------------------------
  // --- seca (issue 15, items 1 and 2): keep this block together; other blocks append after it. ---
  {
    // Ownership and sign-in security (server/auth): a conversation id is bound to the patient who
    // first used it (existing conversations are bound to their earliest patient sender), console
    // sessions live server-side so logout and admin revocation end them, and failed sign-ins
    // and token guesses are counted per account and per client address for backoff lockout.
    id: "0006_auth_ownership_sessions",
    sql: [
      `CREATE TABLE conversation_owners (
        conversation_id text PRIMARY KEY,
        patient_ref text NOT NULL,
        bound_at timestamptz NOT NULL DEFAULT now()
      )`,
      `INSERT INTO conversation_owners (conversation_id, patient_ref)
        SELECT DISTINCT ON (conversation_id) conversation_id, sender_ref FROM messages
         WHERE sender_role = 'patient' ORDER BY conversation_id, created_at, received_at
        ON CONFLICT DO NOTHING`,
      `CREATE TABLE auth_sessions (
        id_hash text PRIMARY KEY,
        username text NOT NULL,
        role text NOT NULL,
        csrf text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text
      )`,
      "CREATE INDEX auth_sessions_user ON auth_sessions (username, expires_at)",
      `CREATE TABLE auth_failures (
        scope text NOT NULL,
        key_hash text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        last_failure_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        PRIMARY KEY (scope, key_hash)
      )`,
      // Signed Slack commands and interactions seen within the replay window (a replay is refused).
      "CREATE TABLE slack_requests (key_hash text PRIMARY KEY, seen_at timestamptz NOT NULL DEFAULT now())",
      "CREATE INDEX slack_requests_seen ON slack_requests (seen_at)",
    ],
  },
  // --- end seca block ---
  // --- issue 12, item 4: reviewers correct urgency and responder; corrections export as triage SFT/DPO pairs ---
  {
    id: "0007_triage_corrections",
    sql: [
      `CREATE TABLE triage_corrections (
        id bigserial PRIMARY KEY,
        case_id text NOT NULL REFERENCES review_cases(id) ON DELETE CASCADE,
        message_id text NOT NULL,
        reviewer text NOT NULL,
        before_urgency text NOT NULL,
        before_responder text NOT NULL,
        urgency text NOT NULL,
        responder text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX triage_corrections_case ON triage_corrections (case_id)",
    ],
  },
  // --- perfaudit (issue 18, item 2): audit appends without a lock held across round trips ---
  {
    // One statement appends a batch of events: it takes the chain's advisory lock (released when
    // that statement's transaction commits, so never held while a client is idle), reads the head,
    // and assigns each event its seq, prev_hash and hash. The hash is SHA-256 over
    // prev_hash || "\n" || canonical JSON, the JSON given as the text before and after the seq
    // (server/stores/audit-store.ts builds it; `verifyChain` recomputes it in JavaScript).
    id: "0008_audit_append_function",
    sql: [
      `CREATE OR REPLACE FUNCTION audit_append(
        p_at text[], p_kind text[], p_case text[], p_payload text[], p_trace text[],
        p_head text[], p_tail text[]
      ) RETURNS TABLE (out_seq bigint, out_prev text, out_hash text)
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        s bigint;
        h text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7312002);
        SELECT e.seq, e.hash INTO s, h FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
        IF NOT FOUND THEN
          s := 0;
          h := repeat('0', 64);
        END IF;
        FOR i IN 1 .. coalesce(array_length(p_kind, 1), 0) LOOP
          s := s + 1;
          out_seq := s;
          out_prev := h;
          h := encode(sha256(convert_to(h || E'\\n' || p_head[i] || s::text || p_tail[i], 'UTF8')), 'hex');
          out_hash := h;
          INSERT INTO audit_events (seq, at, kind, case_id, payload, trace_id, prev_hash, hash)
            VALUES (s, p_at[i], p_kind[i], p_case[i], p_payload[i]::jsonb, p_trace[i], out_prev, h);
          RETURN NEXT;
        END LOOP;
      END
      $fn$`,
    ],
  },
  // --- end perfaudit block ---
  // --- conv (issue 16 items 3 and 5): the intake pre-check (with the conversation memory it read) sealed beside the body ---
  {
    id: "0009_intake_precheck",
    sql: ["ALTER TABLE messages ADD COLUMN precheck jsonb"],
  },
];
