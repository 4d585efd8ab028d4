/**
 * OpenTelemetry traces across server → queue → worker → model → SQL/Redis. HTTP server spans
 * come from Hono's maintained middleware (@hono/otel); SQL (pg) and Redis (ioredis, so BullMQ
 * too) and outgoing node:http calls (Slack's Web API) from the maintained OpenTelemetry
 * instrumentations; only the pipeline's steps and the model call are spans of our own. The trace
 * context travels as a W3C `traceparent` (HTTP header in, job data across the queue).
 *
 * One process may hold several systems (tests do), each with its own tracer provider and
 * exporter, so no provider is registered globally. What is global is what OpenTelemetry's API
 * needs to follow async work and read headers — an AsyncLocalStorage context manager and the W3C
 * propagator — and the instrumentations, which patch pg, ioredis and node:http once per process.
 * Their spans go to the provider of the system whose span is active (a context key carries it);
 * outside any span of a system they record nothing. The trace id is what the audit trail
 * records, so an audit event leads to its trace.
 */
import { createRequire } from "node:module";
import { httpInstrumentationMiddleware } from "@hono/otel";
import {
  type Context,
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { InstrumentationBase } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import type { MiddlewareHandler } from "hono";

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
  /**
   * Hono middleware: the HTTP server span of each request (@hono/otel: `METHOD /route`, kind
   * SERVER, continuing the caller's `traceparent`), with this system's provider in the context.
   */
  httpMiddleware(): MiddlewareHandler;
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

/** Which system's provider records the spans started under this context. */
const PROVIDER = createContextKey("glycopilot.tracerProvider");
const providerOf = (ctx: Context) => ctx.getValue(PROVIDER) as TracerProvider | undefined;
const withProvider = (ctx: Context, p: TracerProvider) => (providerOf(ctx) === p ? ctx : ctx.setValue(PROVIDER, p));

/** A provider that hands each span to the provider of the context it starts in (no-op outside one). */
const routingProvider: TracerProvider = {
  getTracer(name, version, options) {
    const tracerFor = (ctx: Context): Tracer => (providerOf(ctx) ?? trace.getTracerProvider()).getTracer(name, version, options);
    const startSpan = (spanName: string, o?: SpanOptions, ctx: Context = context.active()) =>
      tracerFor(ctx).startSpan(spanName, o, ctx);
    return {
      startSpan,
      startActiveSpan(spanName: string, ...rest: unknown[]) {
        const fn = rest.pop() as (span: Span) => unknown;
        const [o, ctx = context.active()] = rest as [SpanOptions | undefined, Context | undefined];
        const span = startSpan(spanName, o, ctx);
        return context.with(trace.setSpan(ctx, span), fn, undefined, span);
      },
    } as Tracer;
  },
};

let globalsReady = false;
/** Once per process: context manager, propagator, and the pg / ioredis / node:http instrumentations. */
function ensureGlobals(): void {
  if (globalsReady) return;
  globalsReady = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(propagator);
  const instrumentations: InstrumentationBase[] = [
    // Spans only inside a traced request or job: connection pings and idle polling stay out.
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    // Outgoing calls only (the Slack Web API); incoming requests are @hono/otel's.
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true }),
  ];
  for (const i of instrumentations) {
    i.setTracerProvider(routingProvider);
    patchLoaded(i);
  }
}

const require = createRequire(import.meta.url);

/**
 * The instrumentations hook `require`, but this server's modules are ES modules whose imports of
 * pg, ioredis and node:http are resolved before any system starts: patch the loaded exports (the
 * same objects every importer holds) with the instrumentation's own patch functions.
 */
function patchLoaded(inst: InstrumentationBase): void {
  for (const def of inst.getModuleDefinitions()) {
    let exports: unknown;
    let version: string | undefined;
    try {
      exports = require(def.name);
      version =
        def.name.includes("/") || /^(node:)?https?$/.test(def.name)
          ? process.versions.node
          : require(`${def.name}/package.json`).version;
    } catch {
      continue; // not installed (e.g. pg-native): nothing to patch
    }
    def.patch?.(exports, version);
    def.moduleExports = exports;
  }
}

export function createTracing(opts: { exporter?: SpanExporter; batch?: boolean; serviceName?: string } = {}): Tracing {
  ensureGlobals();
  // Without an exporter nothing would read a span: sample none, so each request and job pays only
  // for a span context (its trace id is still the request id, and still crosses the queue).
  const provider = new BasicTracerProvider(
    opts.exporter
      ? { spanProcessors: [opts.batch ? new BatchSpanProcessor(opts.exporter) : new SimpleSpanProcessor(opts.exporter)] }
      : { sampler: new AlwaysOffSampler() },
  );
  const tracer = provider.getTracer(opts.serviceName ?? "glycopilot");
  // The context every request starts from: ROOT plus this system's provider.
  const base = withProvider(ROOT_CONTEXT, provider);
  const otel = httpInstrumentationMiddleware({ tracerProvider: provider, captureActiveRequests: false });
  return {
    tracer,
    async withSpan(name, fn, o = {}) {
      const parent = withProvider(o.parent ?? context.active(), provider);
      const span = tracer.startSpan(name, o.attributes ? { attributes: o.attributes } : {}, parent);
      try {
        return await context.with(trace.setSpan(parent, span), () => fn(span));
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
      propagator.inject(context.active(), carrier, setter);
      return carrier.traceparent;
    },
    extract(traceparent) {
      if (!traceparent) return base;
      return propagator.extract(base, { traceparent }, getter);
    },
    httpMiddleware() {
      return (c, next) => context.with(base, () => otel(c, next));
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}

/** The trace id of the active span (the request id of an HTTP request), if any. */
export function activeTraceId(): string | undefined {
  return trace.getSpan(context.active())?.spanContext().traceId;
}
