/**
 * The on-call roster (ONCALL_FILE; deploy/oncall.example.json): who is paged first, who next
 * when a case is not acknowledged within its service level, and the fallback channel after
 * the roster is exhausted.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { AppError } from "../../core/errors.js";
import type { PageTarget } from "../../core/ports.js";

export const OnCallPerson = z.object({
  name: z.string().min(1).max(120),
  /** Slack user id; the page goes to them as a direct message. */
  slackUserId: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  /** Console username, when the person also reviews in the console. */
  username: z.string().optional(),
});
export type OnCallPerson = z.infer<typeof OnCallPerson>;

export const OnCall = z.object({
  /** Escalation order: index 0 is paged on open, the next one at each missed service level. */
  roster: z.array(OnCallPerson).min(1),
  /** Every page is also posted here (SLACK_REVIEW_CHANNEL overrides). */
  reviewChannel: z.string().optional(),
  /** Paged once the roster is exhausted (SLACK_FALLBACK_CHANNEL overrides). */
  fallbackChannel: z.string().optional(),
});
export type OnCall = z.infer<typeof OnCall>;

export function loadOnCall(path: string): OnCall {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new AppError("CONFIG_INVALID", `cannot read on-call file ${path}: ${(e as Error).message}`);
  }
  const parsed = OnCall.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      "CONFIG_INVALID",
      `on-call file ${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** Who page `level` goes to; null once the roster and the fallback are both used up. */
export function targetForLevel(oncall: OnCall, level: number, fallbackChannel?: string): PageTarget | null {
  const person = oncall.roster[level];
  if (person) return { kind: "person", person };
  const fb = fallbackChannel ?? oncall.fallbackChannel;
  if (level === oncall.roster.length && fb) return { kind: "channel", channel: fb, fallback: true };
  return null;
}
