/**
 * Service levels by urgency: how long a case may wait for acknowledgement before the next
 * person on the roster is paged. Routine cases count working days (Monday–Friday, in UTC
 * unless a time zone offset is configured); emergencies and urgent cases count wall time.
 */
import type { Urgency } from "../../core/domain.js";

export interface SlaOptions {
  /** @defaultValue 300000 (5 minutes) */
  emergencyMs: number;
  /** @defaultValue 3600000 (1 hour) */
  urgentMs: number;
  /** Working time for routine cases. @defaultValue 86400000 (1 working day) */
  routineMs: number;
  /** Minutes east of UTC for deciding what a weekend is (e.g. 480 for Beijing). @defaultValue 0 */
  utcOffsetMinutes: number;
}

export const DEFAULT_SLA: SlaOptions = { emergencyMs: 5 * 60_000, urgentMs: 3600_000, routineMs: 86400_000, utcOffsetMinutes: 0 };

const DAY = 86400_000;

function isWeekend(ms: number, offsetMin: number): boolean {
  const d = new Date(ms + offsetMin * 60_000).getUTCDay();
  return d === 0 || d === 6;
}

/** `from` plus `ms` of working time: weekend days do not count. */
export function addWorkingTime(from: Date, ms: number, offsetMin = 0): Date {
  let t = from.getTime();
  let left = ms;
  while (left > 0) {
    // Advance to the next local midnight or until the budget runs out, whichever comes first.
    const local = t + offsetMin * 60_000;
    const toMidnight = DAY - (((local % DAY) + DAY) % DAY);
    const step = Math.min(toMidnight, left);
    if (!isWeekend(t, offsetMin)) left -= step;
    t += step;
  }
  // A deadline that lands exactly on a weekend midnight moves to Monday 00:00.
  while (isWeekend(t, offsetMin) && ms > 0) t += DAY - ((((t + offsetMin * 60_000) % DAY) + DAY) % DAY);
  return new Date(t);
}

/** When a case opened (or last paged) at `from` must be acknowledged. */
export function slaDeadline(urgency: Urgency, from: Date, sla: SlaOptions): Date {
  if (urgency === "emergency") return new Date(from.getTime() + sla.emergencyMs);
  if (urgency === "urgent") return new Date(from.getTime() + sla.urgentMs);
  return addWorkingTime(from, sla.routineMs, sla.utcOffsetMinutes);
}

/** BullMQ priority: lower runs first. */
export const PAGE_PRIORITY: Record<Urgency, number> = { emergency: 1, urgent: 2, routine: 3 };
