/**
 * The wechaty path end to end with the mock puppet: an unknown contact gets the binding
 * explanation, binds with an enrollment code, and gets the pipeline's answer; the bot's own
 * messages never come back in as patient messages.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import type { System } from "../../server/main.js";
import { buildTestSystem, jsonPost } from "../../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { type WechatPlugin, wechatPlugin } from "./index.js";

const REPLY = "Thanks. Keep logging your blood sugar and bring the log to your next visit.";
let sys: System;
let model: ModelHostStandin;
let plugin: WechatPlugin;
const mocker = new mock.Mocker();

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply({
    kind: "json",
    value: { labTests: [], examinations: [], medications: [], recommendations: [], reply: REPLY, confidence: 0.9 },
  });
  const make = wechatPlugin({ puppet: new PuppetMock({ mocker }) });
  sys = await buildTestSystem(
    { OLLAMA_HOST: model.url, MODEL_TIMEOUT_MS: "3000", CLINIC_CONTACT: "+86 571 0000 0000" },
    { plugins: [async (s, c) => (plugin = (await make(s, c)) as WechatPlugin)] },
  );
  await sys.services.results.putPatient("pat-wy", {
    ref: "pat-wy",
    age: 50,
    sex: "male",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
});
afterAll(async () => {
  await sys?.stop();
  await model?.close();
});

async function until(pred: () => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 25));
  }
}

it("mock-puppet conversation: explanation → binding → answer", async () => {
  const user = mocker.createContact({ name: "GlycoPilot" });
  mocker.login(user);
  const patient = mocker.createContact({ name: "Patient Li" });
  const got: string[] = [];
  (patient as unknown as { on(e: "message", f: (m: { payload: { talkerId: string; text?: string } }) => void): void }).on(
    "message",
    (m) => {
      if (m.payload.talkerId === user.id) got.push(m.payload.text ?? "");
    },
  );
  await until(() => plugin.wechaty() !== null);

  patient.say("hello, is this the clinic?").to(user);
  await until(() => got.length === 1);
  expect(got[0]).toMatch(/link 123456/);

  const { code } = (await (await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: "pat-wy" }))).json()) as {
    code: string;
  };
  patient.say(`link ${code}`).to(user);
  await until(() => got.length === 2);
  expect(got[1]).toMatch(/^You are linked/);

  const before = model.chatRequests().length;
  patient.say("My fasting sugar was 7.2 this morning, is that ok?").to(user);
  await until(() => got.includes(REPLY));
  await plugin.idle();
  await new Promise((r) => setTimeout(r, 500));
  expect(model.chatRequests().length - before).toBe(1);
  expect(got.filter((t) => t === REPLY)).toHaveLength(1);
  expect(got).toHaveLength(3);
});
