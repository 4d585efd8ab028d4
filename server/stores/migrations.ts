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
];
