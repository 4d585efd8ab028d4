/**
 * The audit trail's case id for a WeChat identity: a hash of the openid, not the openid itself,
 * so an exported audit trail carries no platform identifier of a patient.
 */
import { createHash } from "node:crypto";

export function wechatAuditRef(address: string): string {
  return `wechat:${createHash("sha256").update(address).digest("hex").slice(0, 16)}`;
}
