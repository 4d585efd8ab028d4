/**
 * Print the scrypt hash of a password for the users file (USERS_FILE):
 *   printf '%s' 'the password' | npx tsx server/auth/hash-password.ts
 * Reads stdin so the password stays out of shell history and process lists.
 */
import { hashPassword } from "./credentials.js";

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const password = Buffer.concat(chunks)
  .toString("utf8")
  .replace(/\r?\n$/, "");
if (password.length < 12) {
  process.stderr.write("use a password of at least 12 characters\n");
  process.exit(2);
}
process.stdout.write(`${await hashPassword(password)}\n`);
