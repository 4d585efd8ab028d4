import { describe, expect, it } from "vitest";
import { loadUsersFile, verifyPassword } from "../auth/credentials.js";
import { loadOnCall, targetForLevel } from "./oncall.js";

describe("deploy examples", () => {
  it("users.example.json parses and its documented example password verifies", async () => {
    const users = loadUsersFile("deploy/users.example.json");
    expect(users.map((u) => u.role).sort()).toEqual(["admin", "clinician", "reviewer"]);
    const rev = users.find((u) => u.role === "reviewer");
    expect(await verifyPassword("example-reviewer-pw", rev?.passwordHash ?? "")).toBe(true);
  });
  it("oncall.example.json parses; levels go through the roster, then the fallback, then stop", () => {
    const oc = loadOnCall("deploy/oncall.example.json");
    const levels = [0, 1, 2, 3, 4].map((l) => targetForLevel(oc, l));
    expect(levels.map((x) => (x === null ? null : x.kind === "person" ? x.person.slackUserId : x.channel))).toEqual([
      "U0REV0001",
      "U0CLI0001",
      "U0ATT0001",
      "C0ENDOOPS1",
      null,
    ]);
    expect(targetForLevel(oc, 3, "COVERRIDE")).toMatchObject({ channel: "COVERRIDE" });
  });
});
