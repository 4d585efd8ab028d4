/**
 * Replay protection for WeChat callbacks: each (timestamp, nonce) pair is accepted once within
 * the replay window. Plain-mode signatures do not cover the body, so without this one captured
 * query string could carry any number of forged bodies. Kept in the shared ReplayGuard (Redis,
 * built by the composition root) with a TTL; when it cannot answer the callback is refused
 * (WeChat retries), never accepted unchecked.
 */
import { createHash } from "node:crypto";
import type { ReplayGuard } from "../../core/ports.js";

export interface NonceGuard {
  /** True the first time this (timestamp, nonce) is seen; false on reuse. Throws DEPENDENCY_UNAVAILABLE when unsure. */
  firstUse(timestamp: string, nonce: string): Promise<boolean>;
  /** Forget a pair whose request failed after the check, so WeChat's retry of it is not refused. */
  release(timestamp: string, nonce: string): Promise<void>;
}

const keyOf = (timestamp: string, nonce: string) =>
  `wxnonce:${createHash("sha256").update(`${timestamp}\n${nonce}`).digest("hex").slice(0, 40)}`;

export function nonceGuard(guard: ReplayGuard, windowS: number): NonceGuard {
  return {
    release: (timestamp, nonce) => guard.forget(keyOf(timestamp, nonce)),
    // The timestamp may be up to windowS in the future or the past: keep the pair for 2 windows.
    firstUse: (timestamp, nonce) => guard.firstSeen(keyOf(timestamp, nonce), 2 * windowS + 1),
  };
}
