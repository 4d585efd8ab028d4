/**
 * Throughput benchmark of `precheck`. IMPURE BY DESIGN: this file (and only this file in
 * guardrails/) reads the clock, via performance.now(), to measure latency.
 */
import { precheck } from "./precheck.js";

export function benchPrecheck(texts: string[], iterations = 20): { perSecond: number; p50Ms: number; p99Ms: number } {
  if (texts.length === 0) return { perSecond: 0, p50Ms: 0, p99Ms: 0 };
  const now = new Date(0);
  for (const t of texts.slice(0, 5)) precheck({ text: t, now }); // warm-up: loads jieba, JITs the regexes
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    for (const text of texts) {
      const s = performance.now();
      precheck({ text, now });
      times.push(performance.now() - s);
    }
  }
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return { perSecond: (times.length / total) * 1000, p50Ms: q(0.5), p99Ms: q(0.99) };
}
