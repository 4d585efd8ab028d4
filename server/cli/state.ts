/**
 * The running server's state file, `${DATA_DIR}/server.json`: written by `glycopilot start`
 * once it listens, removed when it stops, read by client commands (`ask`) so they find the
 * server on whatever port it got without the user repeating PORT in every shell.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const ServerState = z.object({
  url: z.string().url(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  mode: z.enum(["model", "case-based"]),
  channels: z.array(z.string()),
});
export type ServerState = z.infer<typeof ServerState>;

export const stateFile = (dataDir: string): string => join(dataDir, "server.json");

export function writeServerState(dataDir: string, state: ServerState): string {
  mkdirSync(dataDir, { recursive: true });
  const file = stateFile(dataDir);
  // Write then rename, so a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Remove the state file, but only if it is still ours (another server may have started since). */
export function removeServerState(dataDir: string, pid: number = process.pid): void {
  const s = readServerStateRaw(dataDir);
  if (s && s.pid === pid) rmSync(stateFile(dataDir), { force: true });
}

function readServerStateRaw(dataDir: string): ServerState | null {
  try {
    const parsed = ServerState.safeParse(JSON.parse(readFileSync(stateFile(dataDir), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** The state of a server that is still running, or null (no file, unreadable, or its process is gone). */
export function readServerState(dataDir: string): ServerState | null {
  const s = readServerStateRaw(dataDir);
  return s && alive(s.pid) ? s : null;
}
