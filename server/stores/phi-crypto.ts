/**
 * PHI at rest: message bodies and patient contexts are sealed with AES-256-GCM before they reach
 * SQL (PostgreSQL or PGlite's files), in a jsonb envelope {"$phi":1, kid, iv, tag, ct}. The
 * additional authenticated data names the row ("messages:<id>", "patients:<ref>"), so a sealed
 * value copied onto another row does not open. Several keys may be configured for rotation:
 * new values are sealed with the current key id, any listed key opens what it sealed.
 * Rows written before encryption (plain jsonb) still read, and `resealPhi` seals them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { join } from "node:path";
import { AppError } from "../../core/errors.js";
import { loadOrCreateKeyFile } from "./key-file.js";
import type { SqlQueryable } from "./sql.js";

export interface PhiKeyring {
  /** Key id new values are sealed with. */
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** Where the keys came from (said at start; never the keys themselves). */
  source: "configured" | "generated-file" | "ephemeral";
}

export interface SealedPhi {
  $phi: 1;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

const KID_RE = /^[A-Za-z0-9._-]{1,32}$/;

/** PHI_ENCRYPTION_KEYS: "kid:base64(32 bytes),kid2:…"; the current key is PHI_KEY_ID, else the first listed. */
export function parsePhiKeys(spec: string, currentId?: string): PhiKeyring {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf(":");
    const kid = i > 0 ? part.slice(0, i) : "";
    const key = Buffer.from(i > 0 ? part.slice(i + 1) : "", "base64");
    if (!KID_RE.test(kid))
      throw new AppError("CONFIG_INVALID", "PHI_ENCRYPTION_KEYS: each entry is KEY_ID:BASE64_KEY (id: letters, digits, . _ -)");
    if (key.length !== 32) throw new AppError("CONFIG_INVALID", `PHI_ENCRYPTION_KEYS: key "${kid}" is not 32 bytes of base64`);
    if (keys.has(kid)) throw new AppError("CONFIG_INVALID", `PHI_ENCRYPTION_KEYS: key id "${kid}" listed twice`);
    keys.set(kid, key);
  }
  const first = keys.keys().next().value;
  if (!first) throw new AppError("CONFIG_INVALID", "PHI_ENCRYPTION_KEYS is empty");
  const cur = currentId ?? first;
  if (!keys.has(cur)) throw new AppError("CONFIG_INVALID", `PHI_KEY_ID "${cur}" is not among PHI_ENCRYPTION_KEYS`);
  return { currentId: cur, keys, source: "configured" };
}

/** A key that lives as long as the process: for in-memory stores, whose data dies with it anyway. */
export function ephemeralPhiKeyring(): PhiKeyring {
  return { currentId: "ephemeral", keys: new Map([["ephemeral", randomBytes(32)]]), source: "ephemeral" };
}

/**
 * The keyring from configuration. Without PHI_ENCRYPTION_KEYS: a key generated once into
 * DATA_DIR/phi.key (0600) with a warning — data is still encrypted in the database files, but
 * the key sits beside them, so production must configure keys from a secret store.
 */
export function resolvePhiKeyring(
  o: { keys?: string | undefined; keyId?: string | undefined; keyDir?: string | undefined },
  warn: (msg: string) => void = () => {},
): PhiKeyring {
  if (o.keys) return parsePhiKeys(o.keys, o.keyId);
  if (!o.keyDir) return ephemeralPhiKeyring();
  const path = join(o.keyDir, "phi.key");
  const { value, created } = loadOrCreateKeyFile(path, () => `local:${randomBytes(32).toString("base64")}`);
  warn(
    `PHI_ENCRYPTION_KEYS not set: message bodies and patient contexts are encrypted with ${created ? "a newly generated" : "the generated"} key in ${path} (mode 0600). Set PHI_ENCRYPTION_KEYS from a secret store in production, and back the key up: without it the data cannot be read`,
  );
  return { ...parsePhiKeys(value), source: "generated-file" };
}

export function isSealed(v: unknown): v is SealedPhi {
  return typeof v === "object" && v !== null && (v as { $phi?: unknown }).$phi === 1;
}

export function sealJson(kr: PhiKeyring, aad: string, value: unknown): SealedPhi {
  const key = kr.keys.get(kr.currentId) as Buffer;
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([c.update(JSON.stringify(value), "utf8"), c.final()]);
  return {
    $phi: 1,
    kid: kr.currentId,
    iv: iv.toString("base64"),
    tag: c.getAuthTag().toString("base64"),
    ct: ct.toString("base64"),
  };
}

/** The value of a sealed envelope (or a legacy plain value as is). Throws INTERNAL when it does not open. */
export function openJson<T = unknown>(kr: PhiKeyring, aad: string, stored: unknown): T {
  if (!isSealed(stored)) return stored as T;
  const key = kr.keys.get(stored.kid);
  if (!key) throw new AppError("INTERNAL", `PHI sealed with key "${stored.kid}", which is not configured (PHI_ENCRYPTION_KEYS)`);
  try {
    const d = createDecipheriv("aes-256-gcm", key, Buffer.from(stored.iv, "base64"));
    d.setAAD(Buffer.from(aad, "utf8"));
    d.setAuthTag(Buffer.from(stored.tag, "base64"));
    const plain = Buffer.concat([d.update(Buffer.from(stored.ct, "base64")), d.final()]);
    return JSON.parse(plain.toString("utf8")) as T;
  } catch {
    throw new AppError(
      "INTERNAL",
      `PHI for ${aad.split(":")[0]} does not authenticate (wrong key, or the row was tampered with)`,
    );
  }
}

export const messageAad = (id: string) => `messages:${id}`;
export const patientAad = (ref: string) => `patients:${ref}`;

/**
 * Seal rows still in plain jsonb, and re-seal rows sealed with a key other than the current one
 * (rotation). Batched; safe to run while the server writes (a row changed meanwhile is skipped).
 */
export async function resealPhi(db: SqlQueryable, kr: PhiKeyring, batch = 500): Promise<{ messages: number; patients: number }> {
  const out = { messages: 0, patients: 0 };
  const tables = [
    { table: "messages", key: "id", col: "body", aad: messageAad, count: "messages" as const },
    { table: "patients", key: "ref", col: "context", aad: patientAad, count: "patients" as const },
  ];
  for (const t of tables) {
    for (;;) {
      const r = await db.query<{ k: string; v: unknown }>(
        `SELECT ${t.key} AS k, ${t.col} AS v FROM ${t.table}
          WHERE NOT (${t.col} ? '$phi') OR ${t.col}->>'kid' IS DISTINCT FROM $1 LIMIT $2`,
        [kr.currentId, batch],
      );
      if (r.rows.length === 0) break;
      let changed = 0;
      for (const row of r.rows) {
        const sealed = sealJson(kr, t.aad(row.k), openJson(kr, t.aad(row.k), row.v));
        const u = await db.query(`UPDATE ${t.table} SET ${t.col} = $2 WHERE ${t.key} = $1 AND ${t.col} = $3::jsonb RETURNING 1`, [
          row.k,
          JSON.stringify(sealed),
          JSON.stringify(row.v),
        ]);
        changed += u.rows.length;
      }
      out[t.count] += changed;
      if (changed === 0) break; // everything left changed under us: the next run picks it up
    }
  }
  return out;
}
