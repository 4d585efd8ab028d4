/**
 * Prometheus metrics (prom-client) on a registry of our own — no global default registry, so
 * tests and several systems in one process never share counters. Served at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { isAppError } from "../../core/errors.js";
import type { Llm, Queue } from "../../core/ports.js";
import type { Tracing } from "./tracing.js";

export interface Metrics {
  registry: Registry;
  stepSeconds: Histogram<"step">;
  decisions: Counter<"action">;
  escalations: Counter<"urgency">;
  modelSeconds: Histogram<"provider" | "outcome">;
  modelErrors: Counter<"provider" | "code">;
  httpRequests: Counter<"method" | "route" | "status">;
  rateLimited: Counter<"scope">;
}

export function createMetrics(queue?: Queue): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: "glycopilot" });
  const m: Metrics = {
    registry,
    stepSeconds: new Histogram({
      name: "glyco_pipeline_step_seconds",
      help: "Time spent in each pipeline step",
      labelNames: ["step"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    decisions: new Counter({
      name: "glyco_decisions_total",
      help: "Decisions by action",
      labelNames: ["action"],
      registers: [registry],
    }),
    escalations: new Counter({
      name: "glyco_escalations_total",
      help: "Escalations by urgency",
      labelNames: ["urgency"],
      registers: [registry],
    }),
    modelSeconds: new Histogram({
      name: "glyco_model_request_seconds",
      help: "Model host request latency",
      labelNames: ["provider", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
      registers: [registry],
    }),
    modelErrors: new Counter({
      name: "glyco_model_errors_total",
      help: "Model host errors by code",
      labelNames: ["provider", "code"],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: "glyco_http_requests_total",
      help: "HTTP requests",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "glyco_rate_limited_total",
      help: "Requests refused by the rate limiter",
      labelNames: ["scope"],
      registers: [registry],
    }),
  };
  if (queue) {
    new Gauge({
      name: "glyco_queue_depth",
      help: "Pipeline jobs waiting, prioritized, active or delayed",
      registers: [registry],
      async collect() {
        this.set(await queue.depth().catch(() => Number.NaN));
      },
    });
  }
  return m;
}

/** Wrap a model provider so every call is timed, traced and every failure counted. */
export function instrumentLlm(llm: Llm, metrics: Metrics, tracing?: Tracing): Llm {
  return {
    provider: llm.provider,
    model: llm.model,
    health: () => llm.health(),
    async complete(req) {
      if (!tracing) return call(req);
      return tracing.withSpan("model.complete", () => call(req), {
        attributes: { "glyco.provider": llm.provider, "glyco.model": llm.model },
      });
    },
  };
  async function call(req: Parameters<Llm["complete"]>[0]) {
    {
      const end = metrics.modelSeconds.startTimer({ provider: llm.provider });
      try {
        const res = await llm.complete(req);
        end({ outcome: "ok" });
        return res;
      } catch (e) {
        end({ outcome: "error" });
        metrics.modelErrors.inc({ provider: llm.provider, code: isAppError(e) ? e.code : "INTERNAL" });
        throw e;
      }
    }
  }
}
