/**
 * The wechaty path for patients (personal WeChat / WeCom puppets): a wechaty bot whose puppet is
 * chosen by configuration (WECHAT_PUPPET, e.g. "wechaty-puppet-service"), or given as an object
 * (the mock puppet in tests). One-to-one text messages go through the same inbound handling as
 * the Official Account; rooms and the bot's own messages are ignored (no loops).
 */
import { types, WechatyBuilder } from "wechaty";
import type { ChannelPorts, IntakeReply } from "../../core/ports.js";
import type { WechatySay } from "./outbound.js";

type WechatyPuppet = NonNullable<Parameters<typeof WechatyBuilder.build>[0]>["puppet"];

export interface WechatyBotOptions {
  ports: Pick<ChannelPorts, "intake" | "log">;
  /** Send Intake's replies to a contact, in order. */
  reply(contactId: string, lang: string, replies: IntakeReply[]): Promise<void>;
  /** A puppet module name or instance. @defaultValue config WECHAT_PUPPET */
  puppet: WechatyPuppet;
  /** @defaultValue "glycopilot" */
  name?: string;
}

export interface WechatyBot {
  say: WechatySay;
  /** Messages being handled (tests wait for them). */
  readonly inflight: Set<Promise<unknown>>;
  stop(): Promise<void>;
}

export async function startWechatyBot(o: WechatyBotOptions): Promise<WechatyBot> {
  const bot = WechatyBuilder.build({ name: o.name ?? "glycopilot", puppet: o.puppet });
  const inflight = new Set<Promise<unknown>>();
  const log = o.ports.log;

  bot.on("message", (msg) => {
    const work = (async () => {
      if (msg.self() || msg.room() || msg.type() !== types.Message.Text) return;
      const talker = msg.talker();
      if (talker.id === bot.currentUser?.id) return;
      const out = await o.ports.intake.submit({
        channel: "wechat",
        sender: { role: "patient", address: talker.id, transport: "wechaty" },
        key: `wechat:wechaty:${msg.id}`,
        text: msg.text(),
      });
      await o.reply(talker.id, out.lang, out.replies);
    })().catch((e: Error) => log.error({ err: e.message }, "wechaty message failed"));
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  });
  bot.on("error", (e) => log.error({ err: (e as Error).message }, "wechaty error"));
  // With some puppets (the mock among them) ready() never resolves: start, do not wait for ready.
  await bot.start();

  return {
    inflight,
    async say(contactId, text) {
      const contact = await bot.Contact.find({ id: contactId });
      if (!contact) throw new Error("wechaty: contact not found");
      await contact.say(text);
    },
    async stop() {
      await Promise.allSettled([...inflight]);
      await bot.stop();
    },
  };
}
