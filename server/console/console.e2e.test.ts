// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright's Locator.innerText(), not the DOM property
/**
 * The console in a real browser (Debian Chromium via playwright-core): sign in, find a held
 * case in the queue, open it, edit the reply and send it, and see the channel record exactly
 * that text. Screenshots go to test-artifacts/console/ (gitignored).
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReviewSystem, PASSWORDS, type ReviewTestSystem, seedCase } from "../review/fixtures.test-helper.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "console");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

let t: ReviewTestSystem;
let server: ServerType;
let base: string;
let browser: Browser;
let page: Page;
let caseId: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Secure cookies as in production: Chromium accepts them from http://localhost.
  t = await buildReviewSystem({ secureCookies: true });
  const seeded = await seedCase(t, {
    urgency: "urgent",
    text: "This is Li Hua, my phone is 13912345678. Fasting sugar 14 mmol/L for three days, should I double my metformin?",
    sender: { role: "patient", ref: "pat-A" },
  });
  caseId = seeded.id;
  await seedCase(t, {
    urgency: "emergency",
    action: "escalate",
    sentReply: "Call emergency services now.",
    draft: null,
    text: "He fainted, sugar 2.1",
  });
  await seedCase(t, { urgency: "routine", channel: "http" });
  server = serve({ fetch: t.sys.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await t?.stop();
});

describe("reviewer console in Chromium", () => {
  it("sign in, open a case, edit and send; the channel delivers exactly the edited text", async () => {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.screenshot({ path: join(ARTIFACTS, "01-login.png"), fullPage: true });
    await page.getByLabel("Username").fill("rev");
    await page.getByLabel("Password").fill(PASSWORDS.rev);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console`);
    await expect.poll(() => page.getByRole("heading", { name: "Review queue" }).count()).toBe(1);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(3);
    // Most urgent first, with a live SLA countdown.
    expect(await rows.first().locator(".badge").innerText()).toBe("emergency");
    expect(await page.locator("[data-due]").first().innerText()).toMatch(/due in|overdue by/);
    await page.screenshot({ path: join(ARTIFACTS, "02-queue.png"), fullPage: true });

    await page.getByLabel("Urgency").selectOption("urgent");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/urgency=urgent/);
    expect(await page.locator("tbody tr").count()).toBe(1);
    await page.locator(`a[href="/console/cases/${caseId}"]`).click();
    await page.waitForURL(`${base}/console/cases/${caseId}`);

    const body = await page.locator("main").innerText();
    expect(body).not.toContain("13912345678");
    expect(body).not.toContain("Li Hua");
    expect(body).toContain("[PHONE]");
    expect(body).toContain("hyperglycemia-persistent");
    expect(body).toContain("ADA Standards 2025");
    await page.screenshot({ path: join(ARTIFACTS, "03-case.png"), fullPage: true });

    const edited =
      "Please do not change your metformin dose yourself. A nurse will call you today; if you feel very unwell, go to the emergency department.";
    await page.getByLabel("Edited reply (this exact text is delivered)").fill(edited);
    const before = t.wechat.sent.length;
    await page.getByRole("button", { name: "Send edited reply" }).click();
    await page.waitForURL(/done=/);
    expect(await page.getByRole("status").innerText()).toMatch(/edited; recorded/);
    await page.screenshot({ path: join(ARTIFACTS, "04-sent.png"), fullPage: true });

    expect(t.wechat.sent.slice(before).map((o) => [o.messageId, o.text])).toEqual([[caseId, edited]]);
    expect(await t.sys.services.results.countDeliveries(caseId)).toBe(1);
    expect(await page.locator("main").innerText()).toContain("This case is decided.");
  });

  it("is keyboard- and screen-reader-usable: skip link first, landmarks, every control labelled", async () => {
    await page.goto(`${base}/console/cases/${caseId}`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Skip to main content");
    expect(await page.locator("header, nav, main").count()).toBe(3);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
        .filter((el) => !(el as HTMLInputElement).labels?.length)
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });

  it("rubric scores save and show on the rubric page", async () => {
    await page.goto(`${base}/console/cases/${caseId}`);
    for (const [label, v] of [
      ["Treatment appropriateness", "4"],
      ["Medication accuracy", "5"],
      ["Relevance", "4"],
      ["Safety", "5"],
      ["Logical reasoning", "3"],
      ["Usefulness", "4"],
    ]) {
      await page.getByLabel(`${label} (1–5)`).selectOption(v as string);
    }
    await page.getByRole("button", { name: "Save score" }).click();
    await page.waitForURL(/done=score/);
    await page.getByRole("link", { name: "Rubric" }).click();
    await page.waitForURL(`${base}/console/rubric`);
    const row = page.locator("tbody tr", { hasText: "glycopilot-glm4-9b" });
    expect(await row.innerText()).toMatch(/glycopilot-glm4-9b\s+1\s+4\.00\s+5\.00/);
    await page.screenshot({ path: join(ARTIFACTS, "05-rubric.png"), fullPage: true });
  });
});
