/**
 * `glycopilot redact` end to end: the real command reading JSON Lines on stdin. The contract —
 * {"id","redacted","spans":[{"start","end","type"}]} per line, an error object for a bad line
 * and exit 1 — and names of every origin redacted ("Mary Wang" was kept before issue 13).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/glycopilot.mjs", import.meta.url));

it("redacts names of every origin, keeps clinical numbers, reports a bad line and exits 1", () => {
  const input = [
    { id: 1, text: "Mary Wang has had fasting sugars around 8.4 mmol/L since 2025-11-03" },
    { id: "b", text: "张伟血糖高，空腹11.2，手机13812345678" },
    { id: 3, text: "Mrs. O'Brien asked whether Mr. E can take gliclazide 80 mg" },
    { id: 4, text: "谢谢医生，麻醉前血糖7.2" },
  ]
    .map((x) => JSON.stringify(x))
    .concat(["{not json"])
    .join("\n");
  const r = spawnSync(process.execPath, [BIN, "redact"], { input, encoding: "utf8", timeout: 60_000 });
  expect(r.status).toBe(1);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => l.id ?? null)).toEqual([1, "b", 3, 4, null]);
  expect(lines[0]?.redacted).toBe("[NAME] has had fasting sugars around 8.4 mmol/L since 2025-11-03");
  expect(lines[0]?.spans).toEqual([{ start: 0, end: 9, type: "NAME" }]);
  expect(lines[1]?.redacted).toBe("[NAME]血糖高，空腹11.2，手机[PHONE]");
  expect(lines[2]?.redacted).toBe("Mrs. [NAME] asked whether Mr. [NAME] can take gliclazide 80 mg");
  expect(lines[3]?.redacted).toBe("谢谢医生，麻醉前血糖7.2");
  expect(lines[4]).toMatchObject({ line: 5, error: { code: "INVALID_JSON" } });
});
