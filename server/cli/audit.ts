/**
 * `glycopilot audit verify [--anchor SEQ:HASH] [--checkpoints FILE] [--require-checkpoint]` —
 * check the hash chain; exit 1 and name the first event that does not verify (edited, deleted or
 * reordered rows). The chain alone cannot see the newest events cut off, or a suffix rewritten
 * with recomputed hashes, so verify also checks the signed checkpoints of the head (written by
 * the server at an interval and on shutdown, outside the audit table: AUDIT_CHECKPOINT_*): each
 * must be validly signed and its event must still carry the signed hash. --anchor SEQ:HASH
 * checks one more head kept by hand.
 * `glycopilot audit export [--out FILE] [--case ID]` — the trail as JSON Lines (payloads are
 * already redacted: ids, codes and hashes).
 */

import { loadConfig } from "../../core/config.js";
import type { AuditEvent } from "../../core/domain.js";
import { type CliIo, withDb, writeOut } from "../review/cli-io.js";
import {
  type CheckpointVerdict,
  configuredSigner,
  fileCheckpointSink,
  openCheckpointSink,
  verifyAgainstCheckpoints,
} from "../stores/audit-checkpoint.js";
import { createSqlAuditStore, verifyChain } from "../stores/audit-store.js";
import { parseArgs } from "./jsonl.js";

export async function run(argv: string[], io: CliIo = {}): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const err = io.stderr ?? process.stderr;
  const out = io.stdout ?? process.stdout;
  const sub = positionals[0];
  if (sub !== "verify" && sub !== "export") {
    err.write(
      "usage: glycopilot audit verify [--anchor SEQ:HASH] [--checkpoints FILE] [--require-checkpoint] | audit export [--out FILE] [--case ID]\n",
    );
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
    const cp = await checkCheckpoints(io, events, typeof flags.checkpoints === "string" ? flags.checkpoints : undefined);
    const cpMissing = cp.latest === null && cp.ok;
    const cpOk = cp.ok && !(cpMissing && flags["require-checkpoint"] === true);
    const ok = v.ok && (anchor?.ok ?? true) && cpOk;
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
        checkpoint: { ok: cp.ok, checked: cp.checked, latest: cp.latest, ...(cp.reason ? { reason: cp.reason } : {}) },
        head: head ? { seq: head.seq, hash: head.hash } : null,
      })}\n`,
    );
    if (!v.ok) err.write(`audit chain BROKEN at event ${v.firstBadSeq}: ${v.reason}\n`);
    else if (anchor && !anchor.ok) err.write(`audit chain does not reach the anchor: ${anchor.reason}\n`);
    else if (!cp.ok) err.write(`audit chain does not match its signed checkpoints: ${cp.reason}\n`);
    else if (!cpOk) err.write("no signed checkpoint found (--require-checkpoint)\n");
    else {
      err.write(`audit chain OK: ${v.checked} events${head ? `, head ${head.seq}:${head.hash}` : ""}\n`);
      err.write(
        cpMissing
          ? "WARNING: no signed checkpoint found: a cut-off or rewritten tail cannot be detected\n"
          : `checkpoints OK: ${cp.checked}, latest ${cp.latest?.seq} at ${cp.latest?.at}${head && cp.latest && head.seq > cp.latest.seq ? ` (${head.seq - cp.latest.seq} newer events not yet checkpointed)` : ""}\n`,
      );
    }
    return ok ? 0 : 1;
  });
}

async function checkCheckpoints(io: CliIo, events: readonly AuditEvent[], file: string | undefined): Promise<CheckpointVerdict> {
  const config = loadConfig(io.env ?? process.env);
  const opened = file
    ? { sink: fileCheckpointSink(file), close: async () => {} }
    : await openCheckpointSink(config, config.REDIS_URL);
  try {
    const checkpoints = await opened.sink.all();
    if (checkpoints.length === 0) return { ok: true, checked: 0, latest: null };
    return verifyAgainstCheckpoints(events, checkpoints, configuredSigner(config));
  } catch (e) {
    return { ok: false, checked: 0, latest: null, reason: `checkpoints unreadable: ${(e as Error).message}` };
  } finally {
    await opened.close();
  }
}

function checkAnchor(events: readonly AuditEvent[], spec: string): { ok: boolean; reason?: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(spec);
  if (!m) return { ok: false, reason: "anchor must be SEQ:HASH" };
  const e = events.find((x) => x.seq === Number(m[1]));
  if (!e) return { ok: false, reason: `event ${m[1]} is gone (the trail was cut short)` };
  return e.hash === m[2] ? { ok: true } : { ok: false, reason: `event ${m[1]} has a different hash` };
}
