/**
 * The client's address for rate limits and sign-in throttling. X-Forwarded-For is forgeable, so
 * it is believed only when the socket's peer is a configured trusted proxy (TRUSTED_PROXIES):
 * then the address is the right-most X-Forwarded-For entry that is not itself a trusted proxy.
 * Without a socket (in-process requests, non-Node runtimes) the address is null.
 */
import { BlockList, isIP } from "node:net";
import type { Context } from "hono";

export interface TrustedProxies {
  trusts(address: string): boolean;
}

const normalize = (a: string) => {
  const s = a.trim().replace(/^\[|\]$/g, "");
  return s.toLowerCase().startsWith("::ffff:") && isIP(s.slice(7)) === 4 ? s.slice(7) : s;
};

/** Parse "10.0.0.0/8,127.0.0.1,fd00::/8"; a malformed entry is a configuration error (thrown). */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new BlockList();
  let any = false;
  for (const raw of (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits] = raw.split("/") as [string, string | undefined];
    const family = isIP(addr);
    if (!family) throw new Error(`TRUSTED_PROXIES: "${raw.slice(0, 60)}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(addr, type);
    else {
      const n = Number(bits);
      if (!Number.isInteger(n) || n < 0 || n > (family === 4 ? 32 : 128))
        throw new Error(`TRUSTED_PROXIES: "${raw.slice(0, 60)}" has a bad prefix length`);
      list.addSubnet(addr, n, type);
    }
    any = true;
  }
  return {
    trusts(address) {
      if (!any) return false;
      const a = normalize(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

const cache = new Map<string, TrustedProxies>();
/** The parsed TRUSTED_PROXIES for a config value (parsed once per distinct value). */
export function trustedProxiesFor(spec: string | undefined): TrustedProxies {
  const key = spec ?? "";
  let t = cache.get(key);
  if (!t) {
    t = parseTrustedProxies(spec);
    cache.set(key, t);
  }
  return t;
}

/** The socket peer of a request served by @hono/node-server, or null. */
export function peerAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; server?: unknown } | undefined;
  const a = env?.incoming?.socket?.remoteAddress;
  return typeof a === "string" && a ? normalize(a) : null;
}

export function clientAddress(c: Context, trusted: TrustedProxies): string | null {
  const peer = peerAddress(c);
  if (!peer || !trusted.trusts(peer)) return peer;
  const hops = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => normalize(h))
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.trusts(hop)) return hop;
  }
  return hops[0] ?? peer;
}
