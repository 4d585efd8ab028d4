/**
 * OpenTelemetry traces across server → queue → worker → model. The trace context travels as a
 * W3C `traceparent` string (HTTP header in, job data across the queue), and inside a process
 * through an AsyncLocalStorage owned by this Tracing object — nothing is registered globally.
 * The trace id is what the audit trail records, so an audit event leads to its trace.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type Context, ROOT_CONTEXT, type Span, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";

export interface Tracing {
  tracer: Tracer;
  /** Run `fn` inside a new span (child of `parent`, else of the current span). Errors mark the span. */
  withSpan<T>(
    name: string,
    fn: (span: Span) => Promise<T>,
    opts?: { parent?: Context; attributes?: Record<string, string | number | boolean> },
  ): Promise<T>;
  /** The current span's W3C traceparent, for the queue or an outgoing request. */
  traceparent(): string | undefined;
  /** The context a traceparent string describes (ROOT when absent or malformed). */
  extract(traceparent: string | undefined): Context;
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
const setter = {
  set: (c: Record<string, string>, k: string, v: string) => {
    c[k] = v;
  },
};
const getter = {
  get: (c: Record<string, string>, k: string) => c[k],
  keys: (c: Record<string, string>) => Object.keys(c),
};

export function createTracing(opts: { exporter?: SpanExporter; batch?: boolean; serviceName?: string } = {}): Tracing {
  const provider = new BasicTracerProvider({
    spanProcessors: opts.exporter
      ? [opts.batch ? new BatchSpanProcessor(opts.exporter) : new SimpleSpanProcessor(opts.exporter)]
      : [],
  });
  const tracer = provider.getTracer(opts.serviceName ?? "glycopilot");
  const als = new AsyncLocalStorage<Context>();
  const current = () => als.getStore() ?? ROOT_CONTEXT;
  return {
    tracer,
    async withSpan(name, fn, o = {}) {
      const parent = o.parent ?? current();
      const span = tracer.startSpan(name, o.attributes ? { attributes: o.attributes } : {}, parent);
      try {
        return await als.run(trace.setSpan(parent, span), () => fn(span));
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        throw e;
      } finally {
        span.end();
      }
    },
    traceparent() {
      const carrier: Record<string, string> = {};
      propagator.inject(current(), carrier, setter);
      return carrier.traceparent;
    },
    extract(traceparent) {
      if (!traceparent) return ROOT_CONTEXT;
      return propagator.extract(ROOT_CONTEXT, { traceparent }, getter);
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}

/** The trace id inside a traceparent ("00-<trace id>-<span id>-<flags>"). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const m = traceparent?.match(/^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/);
  return m?.[1];
}
