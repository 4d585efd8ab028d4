/**
 * The services the HTTP app and the worker run on, built once by the composition root
 * (server/main.ts) and handed to routes through typed Hono variables.
 */

import type { Hono } from "hono";
import type { Config } from "../core/config.js";
import type { AuditStore, ChannelFactory, Clock, ChannelPlugin as CorePlugin, Health, Queue } from "../core/ports.js";
import type { Logger } from "./log.js";
import type { Metrics } from "./observability/metrics.js";
import type { RateLimiter } from "./observability/rate-limit.js";
import type { Tracing } from "./observability/tracing.js";
import type { PipelineDeps } from "./pipeline/types.js";
import type { SqlResultStore } from "./stores/result-store.js";
import type { SqlClient } from "./stores/sql.js";

export interface Services {
  config: Config;
  log: Logger;
  clock: Clock;
  results: SqlResultStore;
  audit: AuditStore;
  queue: Queue;
  /** The SQL store itself, for modules that own tables of their own (review, conversations). */
  db: SqlClient;
  /** The pipeline's ports, for modules that deliver or re-run outside the worker (review actions). */
  pipeline: PipelineDeps;
  /** "model" when a model host is configured, otherwise the labelled case-based mode. */
  mode: "model" | "case-based";
  metrics: Metrics;
  tracing: Tracing;
  rateLimiter?: RateLimiter;
  /** Named dependency checks for /readyz (redis, sql, chroma, model). */
  readiness: Record<string, () => Promise<Health>>;
}

export type AppEnv = { Variables: { services: Services; requestId: string } };

/** A channel adapter as this server mounts it: core's ChannelPlugin with Hono routes. */
export type ChannelPlugin = CorePlugin<Hono>;

/** What builds one: the channel's ports (core/ports.ts ChannelPorts, built in main.ts) and the configuration. */
export type PluginFactory = ChannelFactory<Hono>;
