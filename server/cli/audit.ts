/**
 * `glycopilot audit verify [--anchor SEQ:HASH]` — check the hash chain; exit 1 and name the
 * first event that does not verify (edited, deleted or reordered rows). The chain alone cannot
 * see the newest events being cut off, so verify prints the head; keep it somewhere else and
 * pass it back as --anchor to prove the trail still reaches it.
 * `glycopilot audit export [--out FILE] [--case ID]` — the trail as JSON Lines (payloads are
 * already redacted: ids, codes and hashes).
 */
import type { AuditEvent } from "../../core/domain.js";
import { type CliIo, withDb, writeOut } from "../review/cli-io.js";
import { createSqlAuditStore, verifyChain } from "../stores/audit-store.js";
import { parseArgs } from "./jsonl.js";

export async function run(argv: string[], io: CliIo = {}): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const err = io.stderr ?? process.stderr;
  const out = io.stdout ?? process.stdout;
  const sub = positionals[0];
  if (sub !== "verify" && sub !== "export") {
    err.write("usage: glycopilot audit verify [--anchor SEQ:HASH] | audit export [--out FILE] [--case ID]\n");
    return 2;
  }
  return withDb(io, async (db) => {
    const store = createSqlAuditStore(db, () => new Date());
    if (sub === "export") {
      const events = await store.list(typeof flags.case === "string" ? flags.case : undefined);
      await writeOut(
        io,
        typeof flags.out === "string" ? flags.out : undefined,
        events.map((e) => `${JSON.stringify(e)}\n`).join(""),
      );
      err.write(`exported ${events.length} audit events\n`);
      return 0;
    }
    const events = await store.list();
    const v = verifyChain(events);
    const head = events.at(-1);
    let anchor: { ok: boolean; reason?: string } | null = null;
    if (typeof flags.anchor === "string") anchor = checkAnchor(events, flags.anchor);
    const ok = v.ok && (anchor?.ok ?? true);
    const bad = v.ok ? undefined : events.find((e) => e.seq === v.firstBadSeq);
    out.write(
      `${JSON.stringify({
        ok,
        checked: v.checked,
        ...(v.ok
          ? {}
          : {
              firstBadSeq: v.firstBadSeq,
              reason: v.reason,
              event: bad ? { seq: bad.seq, at: bad.at, kind: bad.kind, caseId: bad.caseId } : null,
            }),
        ...(anchor && !anchor.ok ? { anchor: anchor.reason } : {}),
        head: head ? { seq: head.seq, hash: head.hash } : null,
      })}\n`,
    );
    if (!v.ok) err.write(`audit chain BROKEN at event ${v.firstBadSeq}: ${v.reason}\n`);
    else if (anchor && !anchor.ok) err.write(`audit chain does not reach the anchor: ${anchor.reason}\n`);
    else err.write(`audit chain OK: ${v.checked} events${head ? `, head ${head.seq}:${head.hash}` : ""}\n`);
    return ok ? 0 : 1;
  });
}

function checkAnchor(events: readonly AuditEvent[], spec: string): { ok: boolean; reason?: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(spec);
  if (!m) return { ok: false, reason: "anchor must be SEQ:HASH" };
  const e = events.find((x) => x.seq === Number(m[1]));
  if (!e) return { ok: false, reason: `event ${m[1]} is gone (the trail was cut short)` };
  return e.hash === m[2] ? { ok: true } : { ok: false, reason: `event ${m[1]} has a different hash` };
}
