/**
 * The HTTP API "channel": the answer is delivered by being stored, and the caller reads it with
 * GET /v1/…/:id. Kept as a Channel so the pipeline's deliver step treats every channel alike.
 */
import type { Channel } from "../../core/ports.js";

export function createHttpChannel(): Channel {
  return {
    name: "http",
    async start() {},
    async stop() {},
    async deliver() {
      return { delivered: true, detail: "stored for GET" };
    },
  };
}
