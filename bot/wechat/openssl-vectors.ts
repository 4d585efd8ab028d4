/**
 * Test-only: WeChat's encrypted-message layout built by hand and encrypted by the `openssl`
 * command line, so tests check crypto.ts against an implementation that is not crypto.ts.
 */
import { execFileSync } from "node:child_process";

function keyOf(encodingAesKey: string): Buffer {
  return Buffer.from(`${encodingAesKey}=`, "base64");
}

/** random16 ‖ msg_len (network order) ‖ msg ‖ receiveId, PKCS#7-padded to 32 bytes. */
export function wechatLayout(msg: string, receiveId: string, random16: Buffer, padOverride?: (n: number) => Buffer): Buffer {
  const m = Buffer.from(msg, "utf8");
  const len = Buffer.from([(m.length >>> 24) & 255, (m.length >>> 16) & 255, (m.length >>> 8) & 255, m.length & 255]);
  const body = Buffer.concat([random16, len, m, Buffer.from(receiveId)]);
  const n = 32 - (body.length % 32);
  return Buffer.concat([body, padOverride ? padOverride(n) : Buffer.alloc(n, n)]);
}

function openssl(encodingAesKey: string, decrypt: boolean, input: Buffer): Buffer {
  const key = keyOf(encodingAesKey);
  return execFileSync(
    "openssl",
    [
      "enc",
      ...(decrypt ? ["-d"] : []),
      "-aes-256-cbc",
      "-K",
      key.toString("hex"),
      "-iv",
      key.subarray(0, 16).toString("hex"),
      "-nopad",
    ],
    { input },
  );
}

export const opensslEncrypt = (encodingAesKey: string, plain: Buffer): string =>
  openssl(encodingAesKey, false, plain).toString("base64");
export const opensslDecrypt = (encodingAesKey: string, b64: string): Buffer =>
  openssl(encodingAesKey, true, Buffer.from(b64, "base64"));

export const opensslSha1 = (s: string): string =>
  execFileSync("openssl", ["dgst", "-sha1", "-r"], { input: s }).toString().split(" ")[0] as string;
