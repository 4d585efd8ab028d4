/**
 * Signed checkpoints of the audit chain's head, kept outside the audit table (after Certificate
 * Transparency's signed tree heads). The hash chain alone shows edits and gaps but not a cut-off
 * tail or a suffix rewritten with recomputed hashes; a signed (seq, hash) held elsewhere does:
 * `audit verify` requires every checkpointed event to still exist with the signed hash.
 * Written at an interval (only when the head moved) and once more on shutdown, with Ed25519.
 * Sinks: an append-only JSON Lines file (default, DATA_DIR/audit-checkpoints.jsonl) or a Redis list.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";
import { loadOrCreateKeyFile } from "./key-file.js";
import type { SqlQueryable } from "./sql.js";

export interface Checkpoint {
  v: 1;
  seq: number;
  hash: string;
  at: string;
  /** First 16 hex of SHA-256 over the raw public key: which key signed. */
  keyId: string;
  /** Base64 Ed25519 signature over checkpointMessage(). */
  sig: string;
}

export interface CheckpointSink {
  append(cp: Checkpoint): Promise<void>;
  all(): Promise<Checkpoint[]>;
  describe: string;
}

export interface AuditSigner {
  privateKey: KeyObject | null;
  publicKey: KeyObject;
  keyId: string;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export const checkpointMessage = (c: Pick<Checkpoint, "seq" | "hash" | "at">): Buffer =>
  Buffer.from(`glycopilot-audit-checkpoint:v1\n${c.seq}\n${c.hash}\n${c.at}`, "utf8");

function keyIdOf(pub: KeyObject): string {
  const raw = pub.export({ format: "der", type: "spki" }).subarray(ED25519_SPKI_PREFIX.length);
  return createHash("sha256").update(raw).digest("hex").slice(0, 16);
}

/** AUDIT_SIGNING_KEY: a PKCS#8 PEM, or the base64 of a 32-byte Ed25519 seed. */
export function parseSigningKey(text: string): KeyObject {
  const t = text.trim();
  try {
    const key = t.startsWith("-----BEGIN")
      ? createPrivateKey(t)
      : (() => {
          const seed = Buffer.from(t, "base64");
          if (seed.length !== 32) throw new Error("not 32 bytes");
          return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
        })();
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (e) {
    throw new AppError(
      "CONFIG_INVALID",
      `AUDIT_SIGNING_KEY must be an Ed25519 PKCS#8 PEM or a base64 32-byte seed (${(e as Error).message})`,
    );
  }
}

/** AUDIT_CHECKPOINT_PUBLIC_KEY (for auditors without the private key): SPKI PEM or base64 of the raw 32 bytes. */
export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  try {
    const key = t.startsWith("-----BEGIN")
      ? createPublicKey(t)
      : createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(t, "base64")]), format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (e) {
    throw new AppError("CONFIG_INVALID", `AUDIT_CHECKPOINT_PUBLIC_KEY must be an Ed25519 public key (${(e as Error).message})`);
  }
}

export function signerFrom(o: { signingKey?: string; publicKey?: string }): AuditSigner {
  if (o.signingKey) {
    const privateKey = parseSigningKey(o.signingKey);
    const publicKey = createPublicKey(privateKey);
    return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
  }
  if (o.publicKey) {
    const publicKey = parsePublicKey(o.publicKey);
    return { privateKey: null, publicKey, keyId: keyIdOf(publicKey) };
  }
  throw new AppError("CONFIG_INVALID", "no audit signing key");
}

/**
 * The signer from configuration; without AUDIT_SIGNING_KEY, a key generated once under DATA_DIR
 * (0600). `warn` is told when that happens: a key beside the data only stops someone who can
 * rewrite SQL but not read DATA_DIR, so production should configure its own.
 */
export function configuredSigner(
  cfg: { AUDIT_SIGNING_KEY?: string | undefined; AUDIT_CHECKPOINT_PUBLIC_KEY?: string | undefined; DATA_DIR: string },
  warn: (msg: string) => void = () => {},
): AuditSigner {
  if (cfg.AUDIT_SIGNING_KEY) return signerFrom({ signingKey: cfg.AUDIT_SIGNING_KEY });
  if (cfg.AUDIT_CHECKPOINT_PUBLIC_KEY) return signerFrom({ publicKey: cfg.AUDIT_CHECKPOINT_PUBLIC_KEY });
  const path = join(cfg.DATA_DIR, "audit-signing.key");
  const { value, created } = loadOrCreateKeyFile(path, () =>
    generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString().trim(),
  );
  warn(
    `AUDIT_SIGNING_KEY not set: audit checkpoints are signed with ${created ? "a newly generated" : "the generated"} key in ${path}; configure your own key (and keep checkpoints off this host) in production`,
  );
  return signerFrom({ signingKey: value });
}

export function signCheckpoint(signer: AuditSigner, head: { seq: number; hash: string }, at: Date): Checkpoint {
  if (!signer.privateKey) throw new AppError("CONFIG_INVALID", "signing checkpoints needs AUDIT_SIGNING_KEY");
  const base = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { v: 1, ...base, keyId: signer.keyId, sig: sign(null, checkpointMessage(base), signer.privateKey).toString("base64") };
}

export function checkpointSignatureValid(signer: AuditSigner, cp: Checkpoint): boolean {
  try {
    return verify(null, checkpointMessage(cp), signer.publicKey, Buffer.from(cp.sig, "base64"));
  } catch {
    return false;
  }
}

function parseLine(line: string): Checkpoint | null {
  try {
    const x = JSON.parse(line) as Partial<Checkpoint>;
    if (
      x.v !== 1 ||
      typeof x.seq !== "number" ||
      typeof x.hash !== "string" ||
      typeof x.at !== "string" ||
      typeof x.sig !== "string"
    )
      return null;
    return { v: 1, seq: x.seq, hash: x.hash, at: x.at, keyId: String(x.keyId ?? ""), sig: x.sig };
  } catch {
    return null;
  }
}

/** Append-only JSON Lines, fsynced per checkpoint. */
export function fileCheckpointSink(path: string): CheckpointSink {
  return {
    describe: `file ${path}`,
    async append(cp) {
      const fh = await open(path, "a", 0o600);
      try {
        await fh.write(`${JSON.stringify(cp)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    async all() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw e;
      }
      // A malformed line is kept as an invalid entry so verify reports it instead of skipping it.
      return text
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => parseLine(l) ?? { v: 1, seq: -1, hash: "", at: "", keyId: "", sig: "" });
    },
  };
}

/** A capped Redis list (newest first). */
export function redisCheckpointSink(redis: Redis, key: string, keep = 10_000): CheckpointSink {
  return {
    describe: `redis list ${key}`,
    async append(cp) {
      await redis
        .multi()
        .lpush(key, JSON.stringify(cp))
        .ltrim(key, 0, keep - 1)
        .exec();
    },
    async all() {
      const items = await redis.lrange(key, 0, -1);
      return items.reverse().map((l) => parseLine(l) ?? { v: 1, seq: -1, hash: "", at: "", keyId: "", sig: "" });
    },
  };
}

export async function auditHead(db: SqlQueryable): Promise<{ seq: number; hash: string } | null> {
  const r = await db.query<{ seq: string | number; hash: string }>(
    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
  );
  const row = r.rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

export interface Checkpointer {
  /** Sign and write the current head if it moved since the last checkpoint; returns what was written. */
  checkpoint(): Promise<Checkpoint | null>;
  /** Stop the interval and write a final checkpoint. */
  stop(): Promise<void>;
}

export function startAuditCheckpoints(o: {
  db: SqlQueryable;
  signer: AuditSigner;
  sink: CheckpointSink;
  /** @defaultValue 60000 */
  intervalMs?: number;
  clock?: () => Date;
  onError?: (e: Error) => void;
}): Checkpointer {
  let lastSeq = -1;
  let chain: Promise<Checkpoint | null> = Promise.resolve(null);
  const clock = o.clock ?? (() => new Date());
  const once = async (): Promise<Checkpoint | null> => {
    const head = await auditHead(o.db);
    if (!head || head.seq === lastSeq) return null;
    const cp = signCheckpoint(o.signer, head, clock());
    await o.sink.append(cp);
    lastSeq = head.seq;
    return cp;
  };
  const checkpoint = () => {
    chain = chain.catch(() => null).then(once);
    return chain;
  };
  const timer = setInterval(() => {
    checkpoint().catch((e: Error) => o.onError?.(e));
  }, o.intervalMs ?? 60_000);
  timer.unref();
  return {
    checkpoint,
    async stop() {
      clearInterval(timer);
      await checkpoint();
    },
  };
}

export interface CheckpointVerdict {
  ok: boolean;
  checked: number;
  latest: { seq: number; hash: string; at: string } | null;
  reason?: string;
}

/** Every checkpoint must be validly signed, and the event it names must exist with its hash. */
export function verifyAgainstCheckpoints(
  events: ReadonlyArray<{ seq: number; hash: string }>,
  checkpoints: readonly Checkpoint[],
  signer: AuditSigner,
): CheckpointVerdict {
  const bySeq = new Map(events.map((e) => [e.seq, e.hash]));
  let latest: Checkpoint | null = null;
  for (const cp of checkpoints) {
    if (!checkpointSignatureValid(signer, cp))
      return { ok: false, checked: 0, latest: null, reason: `a checkpoint (seq ${cp.seq}) has an invalid signature` };
    if (!latest || cp.seq > latest.seq) latest = cp;
  }
  for (const cp of checkpoints) {
    const h = bySeq.get(cp.seq);
    const at = { seq: cp.seq, hash: cp.hash, at: cp.at };
    if (h === undefined)
      return {
        ok: false,
        checked: checkpoints.length,
        latest: at,
        reason: `event ${cp.seq} signed at ${cp.at} is gone (the trail was cut short)`,
      };
    if (h !== cp.hash)
      return {
        ok: false,
        checked: checkpoints.length,
        latest: at,
        reason: `event ${cp.seq} no longer has the hash signed at ${cp.at} (rewritten)`,
      };
  }
  return { ok: true, checked: checkpoints.length, latest: latest ? { seq: latest.seq, hash: latest.hash, at: latest.at } : null };
}

export interface CheckpointConfig {
  DATA_DIR: string;
  QUEUE_PREFIX: string;
  AUDIT_CHECKPOINT_SINK: "file" | "redis";
  AUDIT_CHECKPOINT_FILE?: string | undefined;
}

/** The sink from configuration; `close` releases its connection. Redis needs a URL the verifier can reach too. */
export async function openCheckpointSink(
  cfg: CheckpointConfig,
  redisUrl: string | undefined,
): Promise<{ sink: CheckpointSink; close: () => Promise<void> }> {
  if (cfg.AUDIT_CHECKPOINT_SINK === "redis") {
    if (!redisUrl) throw new AppError("CONFIG_INVALID", "AUDIT_CHECKPOINT_SINK=redis needs REDIS_URL");
    const { Redis } = await import("ioredis");
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2_000 });
    redis.on("error", () => {});
    return {
      sink: redisCheckpointSink(redis, `${cfg.QUEUE_PREFIX}:audit:checkpoints`),
      close: async () => {
        redis.disconnect();
      },
    };
  }
  return {
    sink: fileCheckpointSink(cfg.AUDIT_CHECKPOINT_FILE ?? join(cfg.DATA_DIR, "audit-checkpoints.jsonl")),
    close: async () => {},
  };
}
