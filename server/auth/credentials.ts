/**
 * Credentials: hashed machine tokens (API_TOKENS = "name:role:sha256hex,…") and scrypt password
 * hashes for people. Both compare in constant time; neither keeps a plaintext secret.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { z } from "zod";
import { AppError } from "../../core/errors.js";

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  o: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const Role = z.enum(["clinician", "reviewer", "admin", "patient"]);
export type Role = z.infer<typeof Role>;

/** Who is calling. For a patient token, `name` is the patient ref. */
export interface Principal {
  name: string;
  role: Role;
  via: "token" | "session";
}

export interface TokenEntry {
  name: string;
  role: Role;
  hash: Buffer;
}

export const sha256Hex = (s: string): string => createHash("sha256").update(s).digest("hex");

/** Parse API_TOKENS; a malformed entry is a configuration error, never silently skipped. */
export function parseApiTokens(spec: string | undefined): TokenEntry[] {
  const out: TokenEntry[] = [];
  for (const raw of (spec ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)) {
    const [name, role, hex, ...rest] = raw.split(":");
    const r = Role.safeParse(role);
    if (!name || !r.success || !hex || !/^[0-9a-f]{64}$/i.test(hex) || rest.length) {
      throw new AppError(
        "CONFIG_INVALID",
        `API_TOKENS entry "${(name ?? "").slice(0, 40)}…" must be name:role:sha256hex (role: ${Role.options.join("|")})`,
      );
    }
    out.push({ name, role: r.data, hash: Buffer.from(hex, "hex") });
  }
  return out;
}

/** The principal a bearer token belongs to. Every entry is compared, so timing says nothing about which. */
export function matchToken(entries: readonly TokenEntry[], presented: string): Principal | null {
  const digest = createHash("sha256").update(presented).digest();
  let found: TokenEntry | null = null;
  for (const e of entries) if (timingSafeEqual(e.hash, digest) && !found) found = e;
  return found ? { name: found.name, role: found.role, via: "token" } : null;
}

const SCRYPT = { N: 16384, r: 8, p: 1 };

/** "scrypt$N$r$p$saltB64$hashB64" */
export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await scrypt(password, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const User = z.object({
  username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  role: Role.exclude(["patient"]),
  passwordHash: z.string().startsWith("scrypt$"),
  displayName: z.string().max(120).optional(),
  /** Links a Slack user to this account so Slack button presses act as this reviewer. */
  slackUserId: z.string().max(40).optional(),
});
export type User = z.infer<typeof User>;

export const UsersFile = z.object({ users: z.array(User) });

/** Read the users file (deploy/users.example.json shows the shape). */
export function loadUsersFile(path: string): User[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new AppError("CONFIG_INVALID", `cannot read users file ${path}: ${(e as Error).message}`);
  }
  const parsed = UsersFile.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      "CONFIG_INVALID",
      `users file ${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data.users;
}
