/**
 * Key material the embedded default generates for itself when none is configured (the PHI
 * encryption key, the audit signing key): a file under DATA_DIR, created exclusively with mode
 * 0600 so concurrent starters agree on one key, and refused when others can read it.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AppError } from "../../core/errors.js";

export interface KeyFileResult {
  value: string;
  created: boolean;
}

export function loadOrCreateKeyFile(path: string, generate: () => string): KeyFileResult {
  mkdirSync(dirname(path), { recursive: true });
  let created = false;
  try {
    writeFileSync(path, `${generate()}\n`, { flag: "wx", mode: 0o600 });
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    // Tighten rather than fail when only the owner's group/other bits drifted (a copy, a restore).
    try {
      chmodSync(path, 0o600);
    } catch {
      throw new AppError("CONFIG_INVALID", `${path} is readable by other users (mode ${mode.toString(8)}); chmod 600 it`);
    }
  }
  const value = readFileSync(path, "utf8").trim();
  if (!value)
    throw new AppError(
      "CONFIG_INVALID",
      `${path} is empty; delete it to generate a new key (data sealed with the old key is lost)`,
    );
  return { value, created };
}
