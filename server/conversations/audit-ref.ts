/**
 * The audit trail's case id for a patient's channel identity: a hash of the address (openid,
 * contact id), not the address itself, so an exported audit trail carries no platform
 * identifier of a patient. WeChat's refs keep their "wechat:" prefix.
 */
import { createHash } from "node:crypto";

export function addressAuditRef(channel: string, address: string): string {
  return `${channel}:${createHash("sha256").update(address).digest("hex").slice(0, 16)}`;
}

export const wechatAuditRef = (address: string): string => addressAuditRef("wechat", address);
