/**
 * Care policy per patient channel, as values: how a sender is identified (binding by enrollment
 * code), how often binding may fail, and the channel's service window — the time after a
 * patient's last message in which the platform lets us write, and how many messages it allows.
 * A new patient channel is a new entry here, not new code.
 */
import type { ChannelName } from "../../core/domain.js";

export interface ServiceWindow {
  /** Writing is allowed this long after the patient's last message. */
  windowMs: number;
  /** At most this many messages per patient message; the last carries the clinic's contact. */
  maxMessages: number;
}

export interface ChannelPolicy {
  /** Failed binding attempts allowed per address within `bindFailureWindowMs`. */
  maxBindFailures: number;
  bindFailureWindowMs: number;
  /** Service windows by transport; a transport not listed has none. */
  windows: Readonly<Record<string, ServiceWindow>>;
}

/**
 * WeChat: the Official Account customer-service API may answer within 48 h of the user's last
 * message, at most 5 messages (WeChat Official Accounts documentation, "客服消息" / customer
 * service messages); a wechaty contact has no such window.
 */
export const WECHAT_POLICY: ChannelPolicy = {
  maxBindFailures: 5,
  bindFailureWindowMs: 24 * 3600_000,
  windows: { oa: { windowMs: 48 * 3600_000, maxMessages: 5 } },
};

export const CHANNEL_POLICIES: Partial<Record<ChannelName, ChannelPolicy>> = { wechat: WECHAT_POLICY };

export type WindowVerdict = { ok: true; n: number; last: boolean } | { ok: false; reason: "window-closed" | "quota" };

/** Pure: may one more message go out, given the window's state? `n` is its number in the window. */
export function windowVerdict(lastInboundAt: Date | null, sent: number, now: Date, w: ServiceWindow): WindowVerdict {
  if (!lastInboundAt || now.getTime() - lastInboundAt.getTime() >= w.windowMs) return { ok: false, reason: "window-closed" };
  if (sent >= w.maxMessages) return { ok: false, reason: "quota" };
  return { ok: true, n: sent + 1, last: sent + 1 === w.maxMessages };
}
