import { describe, expect, it } from "vitest";
import { addWorkingTime, DEFAULT_SLA, slaDeadline } from "./sla.js";

const at = (iso: string) => new Date(iso);

describe("service levels", () => {
  it.each([
    ["emergency", "2026-11-18T10:00:00.000Z", "2026-11-18T10:05:00.000Z"],
    ["urgent", "2026-11-18T10:00:00.000Z", "2026-11-18T11:00:00.000Z"],
    // Wednesday → Thursday
    ["routine", "2026-11-18T10:00:00.000Z", "2026-11-19T10:00:00.000Z"],
    // Friday 10:00 → Monday 10:00: the weekend does not count
    ["routine", "2026-11-20T10:00:00.000Z", "2026-11-23T10:00:00.000Z"],
    // Saturday 12:00 → Tuesday 00:00 (all of Monday is the working day)
    ["routine", "2026-11-21T12:00:00.000Z", "2026-11-24T00:00:00.000Z"],
    // Emergencies ignore weekends
    ["emergency", "2026-11-21T12:00:00.000Z", "2026-11-21T12:05:00.000Z"],
  ] as const)("%s opened %s is due %s", (u, from, due) => {
    expect(slaDeadline(u, at(from), DEFAULT_SLA).toISOString()).toBe(due);
  });

  it("a UTC offset decides which hours are the weekend (Beijing, +8h)", () => {
    // Friday 20:00 UTC is already Saturday 04:00 in Beijing: the clock starts Monday 00:00 local = Sunday 16:00 UTC.
    expect(addWorkingTime(at("2026-11-20T20:00:00.000Z"), 3600_000, 480).toISOString()).toBe("2026-11-22T17:00:00.000Z");
  });

  it("custom service levels apply", () => {
    expect(slaDeadline("emergency", at("2026-11-18T10:00:00.000Z"), { ...DEFAULT_SLA, emergencyMs: 120_000 }).toISOString()).toBe(
      "2026-11-18T10:02:00.000Z",
    );
  });
});
