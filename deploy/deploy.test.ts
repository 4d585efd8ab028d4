/**
 * Deployment files vs. the code: every environment variable the manifests hand to GlycoPilot is
 * a ConfigSchema key and its value parses; probes point at /healthz and /readyz; the worker
 * runs `glycopilot worker`; Redis persists with AOF; KEDA scales on glyco_queue_depth, a metric
 * the app really exports; secrets stay out of plain configuration.
 *
 * No YAML library is installed (no `yaml`/`js-yaml` in node_modules), so the YAML is read with
 * a small indentation-based reader: split documents on `---`, find a key's block by indentation,
 * read `KEY: value` scalars and `- name:` list items. It understands exactly the subset these
 * manifests use (block maps and lists, inline flow maps/lists on one line, `|`/`>-` scalars).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigSchema, loadConfig } from "../core/config.js";
import type { Queue } from "../core/ports.js";
import { parseApiTokens } from "../server/auth/credentials.js";
import { openApiVerdict } from "../server/auth/open-api.js";
import { createMetrics } from "../server/observability/metrics.js";

const DEPLOY = dirname(fileURLToPath(import.meta.url));
const ROOT = join(DEPLOY, "..");
const K8S = join(DEPLOY, "k8s");
const CONFIG_KEYS = new Set(Object.keys(ConfigSchema.shape));
const SECRET_KEY = /^(DATABASE_URL|REDIS_URL)$|(SECRET|TOKENS?|PASSWORD|_KEY)$/;

// ------------------------------------------------------------------ minimal YAML reader

interface Line {
  n: number;
  indent: number;
  text: string; // without indentation and trailing comment
  /** A line inside a block scalar (`|`, `>-`): text, never parsed as YAML. */
  body?: boolean;
}

function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(s[i - 1] as string))) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

/** Lines of one document; block scalars (`|`, `>-`) are kept but their bodies are marked. */
function toLines(doc: string): Line[] {
  const out: Line[] = [];
  let scalarIndent = -1;
  doc.split("\n").forEach((raw, n) => {
    const indent = raw.length - raw.trimStart().length;
    if (scalarIndent >= 0) {
      if (raw.trim() === "" || indent > scalarIndent) {
        out.push({ n, indent, text: raw.trim(), body: true });
        return;
      }
      scalarIndent = -1;
    }
    const text = stripComment(raw.trim());
    if (text === "") return;
    out.push({ n, indent, text });
    if (/:\s*[|>][-+]?$/.test(text) || /^-\s*[|>][-+]?$/.test(text)) scalarIndent = indent;
  });
  return out;
}

function documents(file: string): string[] {
  return readFileSync(file, "utf8")
    .split(/^---\s*$/m)
    .filter((d) => toLines(d).length > 0);
}

/** The lines nested under the first line matching `key:` (with `topOnly`, only at the slice's top level). */
function block(lines: Line[], key: string | RegExp, topOnly = false): Line[] {
  const re = typeof key === "string" ? new RegExp(`^(- )?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\s|$)`) : key;
  const top = lines.length > 0 ? Math.min(...lines.map((l) => l.indent)) : 0;
  const to = lines.length;
  for (let i = 0; i < to; i++) {
    const l = lines[i] as Line;
    if (!re.test(l.text) || (topOnly && l.indent !== top)) continue;
    const own = l.text.startsWith("- ") ? l.indent + 2 : l.indent;
    const body: Line[] = [];
    for (let j = i + 1; j < to && (lines[j] as Line).indent > own; j++) body.push(lines[j] as Line);
    return body;
  }
  return [];
}

/** `KEY: value` pairs at the top level of a block (the block's smallest indentation). */
function scalars(body: Line[]): Map<string, string> {
  const m = new Map<string, string>();
  if (body.length === 0) return m;
  const top = Math.min(...body.map((l) => l.indent));
  for (const l of body) {
    if (l.indent !== top || l.body) continue;
    const mm = /^([A-Za-z_][A-Za-z0-9_.-]*):\s*(.*)$/.exec(l.text);
    if (mm) m.set(mm[1] as string, unquote(mm[2] as string));
  }
  return m;
}

function unquote(v: string): string {
  const t = v.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

/** Compose interpolation: `${VAR:-default}` → default (empty when none). */
function interpolate(v: string): string {
  return v.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_m, d: string | undefined) => d ?? "");
}

/** `- name: X` / `- { name: X, value: Y }` items directly under an `env:` block. */
function envList(body: Line[]): Map<string, string | null> {
  const m = new Map<string, string | null>();
  if (body.length === 0) return m;
  const top = Math.min(...body.map((l) => l.indent));
  body.forEach((l, i) => {
    if (l.indent !== top || !l.text.startsWith("- ")) return;
    const flow = /^- \{\s*name:\s*([^,}\s]+)\s*(?:,\s*value:\s*("[^"]*"|'[^']*'|[^,}]+))?/.exec(l.text);
    if (flow) {
      m.set(flow[1] as string, flow[2] === undefined ? null : unquote(flow[2]));
      return;
    }
    const name = /^- name:\s*(\S+)/.exec(l.text);
    if (!name) return;
    const next = body[i + 1];
    const value = next && next.indent > top && /^value:/.test(next.text) ? unquote(next.text.replace(/^value:/, "")) : null;
    m.set(name[1] as string, value);
  });
  return m;
}

/** Structural sanity every YAML file must pass: no tabs, even indentation, balanced flow brackets and quotes. */
function structuralProblems(file: string, raw = readFileSync(file, "utf8")): string[] {
  const problems: string[] = [];
  raw.split("\n").forEach((line, i) => {
    if (/^\t| \t/.test(line.match(/^\s*/)?.[0] ?? "")) problems.push(`${file}:${i + 1}: tab in indentation`);
  });
  for (const doc of raw.split(/^---\s*$/m)) {
    for (const l of toLines(doc)) {
      if (l.body) continue;
      if (l.indent % 2 !== 0) problems.push(`${file}: odd indentation (${l.indent}) at "${l.text}"`);
      const noStrings = l.text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, "");
      if (/["']/.test(noStrings)) problems.push(`${file}: unbalanced quote at "${l.text}"`);
      for (const [a, b] of [
        ["[", "]"],
        ["{", "}"],
      ] as const) {
        if (noStrings.split(a).length !== noStrings.split(b).length) problems.push(`${file}: unbalanced ${a}${b} at "${l.text}"`);
      }
      if (!/^(- |-$)/.test(l.text) && !/^\S.*?:(\s|$)/.test(l.text)) {
        // a continuation line of a plain multi-line scalar is legal YAML, but these files never use one
        problems.push(`${file}: not a "key: value" or "- item" line: "${l.text}"`);
      }
    }
  }
  return problems;
}

// ------------------------------------------------------------------ the files

const composeFile = join(DEPLOY, "compose.yaml");
const k8sFiles = readdirSync(K8S)
  .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
  .map((f) => join(K8S, f));
const allYaml = [composeFile, ...k8sFiles];
const compose = toLines(readFileSync(composeFile, "utf8"));
const composeServices = block(compose, "services", true);

function composeService(name: string): Line[] {
  return block(composeServices, name, true);
}

interface K8sDoc {
  file: string;
  kind: string;
  name: string;
  lines: Line[];
  /** The document without comments (so a policy's header comment is not mistaken for a rule). */
  text: string;
}
const k8sDocs: K8sDoc[] = k8sFiles.flatMap((file) =>
  documents(file).map((text) => {
    const lines = toLines(text);
    const top = scalars(lines.filter((l) => l.indent === 0));
    const code = lines.map((l) => " ".repeat(l.indent) + l.text).join("\n");
    return { file, kind: top.get("kind") ?? "", name: scalars(block(lines, "metadata")).get("name") ?? "", lines, text: code };
  }),
);
const k8s = (kind: string, name: string): K8sDoc => {
  const d = k8sDocs.find((x) => x.kind === kind && x.name === name);
  if (!d) throw new Error(`no ${kind}/${name} in deploy/k8s`);
  return d;
};

/** GlycoPilot containers in a k8s document (image glycopilot…), with their own env lists. */
function glycoContainers(doc: K8sDoc): Line[][] {
  const containers = block(doc.lines, "containers");
  if (containers.length === 0) return [];
  const top = Math.min(...containers.map((l) => l.indent));
  const items: Line[][] = [];
  for (const l of containers) {
    if (l.indent === top && l.text.startsWith("- ")) items.push([{ ...l, indent: l.indent + 2, text: l.text.slice(2) }]);
    else items.at(-1)?.push(l);
  }
  return items.filter((c) => c.some((l) => /^image:\s*glycopilot\b/.test(l.text)));
}

const configMap = scalars(block(k8s("ConfigMap", "glycopilot-config").lines, "data"));
const appSecret = scalars(block(k8s("Secret", "glycopilot-secrets").lines, "stringData"));
const composeEnvAnchor = scalars(block(compose, /^x-glycopilot-env:/));

// ------------------------------------------------------------------ tests

describe("deploy/ YAML files", () => {
  it("parse structurally (every compose and k8s file)", () => {
    expect(allYaml.length).toBeGreaterThan(5);
    expect(allYaml.flatMap((f) => structuralProblems(f))).toEqual([]);
  });

  it("the structural check does catch broken YAML", () => {
    expect(structuralProblems("x", "a:\n\tb: 1\n")).not.toEqual([]);
    expect(structuralProblems("x", "a:\n   b: 1\n")).not.toEqual([]);
    expect(structuralProblems("x", "a: [1, 2\n")).not.toEqual([]);
    expect(structuralProblems("x", 'a: "open\n')).not.toEqual([]);
    expect(structuralProblems("x", "a:\n  just words\n")).not.toEqual([]);
    expect(structuralProblems("x", "a:\n  b: |\n    free: [text\n  c: 1\n")).toEqual([]);
  });

  it("every k8s object has apiVersion, kind, metadata.name and lives in the glycopilot namespace", () => {
    for (const d of k8sDocs) {
      const top = scalars(d.lines.filter((l) => l.indent === 0));
      expect(top.get("apiVersion"), d.file).toBeTruthy();
      expect(d.kind, d.file).toBeTruthy();
      if (d.kind === "Kustomization") continue;
      expect(d.name, `${d.file} ${d.kind}`).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (d.kind !== "Namespace")
        expect(scalars(block(d.lines, "metadata")).get("namespace"), `${d.kind}/${d.name}`).toBe("glycopilot");
    }
  });

  it("kustomization.yaml lists every manifest (the Cilium-only policy is opt-in) and nothing missing", () => {
    const kust = k8sDocs.find((d) => d.kind === "Kustomization") as K8sDoc;
    const listed = block(kust.lines, "resources")
      .filter((l) => l.text.startsWith("- "))
      .map((l) => l.text.slice(2).trim());
    for (const f of listed) expect(existsSync(join(K8S, f)), f).toBe(true);
    const expected = k8sFiles
      .map((f) => f.slice(K8S.length + 1))
      .filter((f) => f !== "kustomization.yaml" && !f.includes(".cilium."));
    expect([...listed].sort()).toEqual(expected.sort());
  });
});

describe("configuration names and values match core/config.ts", () => {
  it("every variable given to GlycoPilot in compose.yaml is a ConfigSchema key", () => {
    const names = [...composeEnvAnchor.keys()];
    for (const svc of ["server", "worker"]) {
      for (const k of scalars(block(composeService(svc), "environment")).keys()) if (k !== "<<") names.push(k);
    }
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((k) => !CONFIG_KEYS.has(k))).toEqual([]);
  });

  it("every variable given to GlycoPilot in deploy/k8s is a ConfigSchema key (ConfigMap, Secret, container env)", () => {
    const names = [...configMap.keys(), ...appSecret.keys()];
    let containers = 0;
    for (const d of k8sDocs) {
      for (const c of glycoContainers(d)) {
        containers++;
        names.push(...envList(block(c, "env")).keys());
        const refs = block(c, "envFrom").map((l) => /(configMapRef|secretRef):\s*\{\s*name:\s*([a-z0-9-]+)/.exec(l.text)?.[2]);
        expect(refs, `${d.kind}/${d.name} envFrom`).toEqual(["glycopilot-config", "glycopilot-secrets"]);
      }
    }
    expect(containers).toBe(3); // server, worker, ingest
    expect(names.filter((k) => !CONFIG_KEYS.has(k))).toEqual([]);
  });

  it("the manifests' values parse with the real loadConfig (server and worker, compose and k8s)", () => {
    const k8sEnv = Object.fromEntries([...configMap, ...appSecret]);
    const composeEnv = Object.fromEntries([...composeEnvAnchor].map(([k, v]) => [k, interpolate(v)]));
    for (const env of [
      { ...k8sEnv, RUN_WORKER: "false" },
      k8sEnv,
      {
        ...composeEnv,
        RUN_WORKER: "false",
        DATABASE_URL: "postgres://glycopilot:x@postgres:5432/glycopilot",
        REDIS_URL: "redis://:x@redis:6379/0",
      },
    ]) {
      const c = loadConfig(env);
      expect(c.HOST).toBe("0.0.0.0"); // the default 127.0.0.1 would be unreachable from outside the pod
      expect(c.PORT).toBe(8787);
      expect(c.AUTO_INGEST).toBe(false);
      expect(c.CHROMA_URL).toBeTruthy();
      expect(c.OLLAMA_HOST).toBeTruthy();
      expect(c.EMBEDDER).toBe("ollama");
    }
    expect(loadConfig({ ...k8sEnv, RUN_WORKER: "false" }).RUN_WORKER).toBe(false);
    // worker processes refuse to start without all three shared services (server/cli/worker.ts)
    const k = loadConfig(k8sEnv);
    expect([k.REDIS_URL, k.CHROMA_URL, k.DATABASE_URL].every(Boolean)).toBe(true);
  });

  it("secrets are never in plain configuration; Secret values are placeholders only", () => {
    expect([...configMap.keys()].filter((k) => SECRET_KEY.test(k))).toEqual([]);
    expect([...composeEnvAnchor.keys()].filter((k) => SECRET_KEY.test(k))).toEqual([]);
    for (const svc of ["server", "worker"]) {
      expect([...scalars(block(composeService(svc), "environment")).keys()].filter((k) => SECRET_KEY.test(k))).toEqual([]);
      expect(block(composeService(svc), "env_file").some((l) => l.text.includes("secrets/glycopilot.env"))).toBe(true);
    }
    for (const d of k8sDocs.filter((x) => x.kind === "Secret")) {
      for (const [k, v] of scalars(block(d.lines, "stringData"))) {
        const placeholder = v === "" || v.includes("REPLACE_ME") || /^(glycopilot)$/.test(v);
        expect(placeholder, `${d.name}.${k} must be a placeholder`).toBe(true);
      }
    }
    expect(composeService("postgres").find((l) => l.text.startsWith("secrets:"))?.text).toBe("secrets: [postgres_password]");
    expect(composeService("redis").find((l) => l.text.startsWith("secrets:"))?.text).toBe("secrets: [redis_password]");
    expect(scalars(block(composeService("postgres"), "environment")).get("POSTGRES_PASSWORD_FILE")).toBe(
      "/run/secrets/postgres_password",
    );
  });
});

describe("closed by default", () => {
  it("the image does not listen beyond loopback on its own", () => {
    const docker = readFileSync(join(DEPLOY, "Dockerfile"), "utf8");
    const env = docker.split("\n").filter((l) => !l.trimStart().startsWith("#"));
    expect(env.join("\n")).not.toMatch(/HOST=0\.0\.0\.0/);
    expect(loadConfig({}).HOST).toBe("127.0.0.1");
  });

  it("the shipped k8s config map + secret would not start an open API (placeholder tokens are refused)", () => {
    const k8sEnv = Object.fromEntries([...configMap, ...appSecret]);
    const c = loadConfig(k8sEnv);
    expect(c.HOST).toBe("0.0.0.0");
    expect(c.ALLOW_OPEN_API).toBe(false);
    expect(c.API_TOKENS).toBeTruthy(); // an empty value would mean "unset" → an open API
    expect(() => parseApiTokens(c.API_TOKENS)).toThrow(/API_TOKENS entry/);
    expect(openApiVerdict({ ...c, API_TOKENS: undefined }).start).toBe(false);
    expect(configMap.has("ALLOW_OPEN_API")).toBe(false);
    expect(composeEnvAnchor.has("ALLOW_OPEN_API")).toBe(false);
  });
});

describe("roles, probes and health checks", () => {
  it("server: RUN_WORKER=false, `start`, readiness /readyz, liveness /healthz, a PodDisruptionBudget, 2 replicas", () => {
    const dep = k8s("Deployment", "glycopilot-server");
    const [c] = glycoContainers(dep);
    expect(c).toBeDefined();
    const container = c as Line[];
    expect(container.find((l) => l.text.startsWith("args:"))?.text).toMatch(/\["start"\]/);
    expect(envList(block(container, "env")).get("RUN_WORKER")).toBe("false");
    expect(
      block(container, "readinessProbe")
        .map((l) => l.text)
        .join(" "),
    ).toMatch(/path: \/readyz\/intake\b/);
    expect(
      block(container, "livenessProbe")
        .map((l) => l.text)
        .join(" "),
    ).toMatch(/path: \/healthz\b/);
    expect(block(container, "resources").length).toBeGreaterThan(0);
    expect(scalars(block(dep.lines, "spec")).get("replicas")).toBe("2");
    const pdb = k8s("PodDisruptionBudget", "glycopilot-server");
    expect(pdb.text).toMatch(/app\.kubernetes\.io\/component: server/);

    const server = composeService("server");
    expect(server.find((l) => l.text.startsWith("command:"))?.text).toMatch(/\["start"\]/);
    expect(scalars(block(server, "environment")).get("RUN_WORKER")).toBe("false");
    expect(scalars(block(server, "deploy")).get("replicas")).toBe("2");
    expect(
      block(server, "healthcheck")
        .map((l) => l.text)
        .join(" "),
    ).toContain("/healthz");
  });

  it("worker: `glycopilot worker` (a real CLI command), no HTTP probes", () => {
    const cli = readFileSync(join(ROOT, "server/cli/index.ts"), "utf8");
    expect(cli).toMatch(/\bworker:\s*\{[^}]*import\("\.\/worker\.js"\)/);
    expect(existsSync(join(ROOT, "server/cli/worker.ts"))).toBe(true);

    const worker = composeService("worker");
    expect(worker.find((l) => l.text.startsWith("command:"))?.text).toMatch(/^command:\s*\["worker"\]$/);
    const [c] = glycoContainers(k8s("Deployment", "glycopilot-worker"));
    const container = c as Line[];
    expect(container.find((l) => l.text.startsWith("args:"))?.text).toMatch(/^args:\s*\["worker"\]$/);
    expect(container.some((l) => /Probe:/.test(l.text))).toBe(false);
  });

  it("ingest job runs `glycopilot ingest` (a real CLI command)", () => {
    expect(readFileSync(join(ROOT, "server/cli/index.ts"), "utf8")).toMatch(/\bingest:\s*\{/);
    const [c] = glycoContainers(k8s("Job", "glycopilot-ingest"));
    expect((c as Line[]).find((l) => l.text.startsWith("args:"))?.text).toMatch(/\["ingest"\]/);
  });

  it("the health routes the probes use exist in the app", () => {
    const health = readFileSync(join(ROOT, "server/routes/health.ts"), "utf8");
    expect(health).toContain('"/healthz"');
    expect(health).toContain('"/readyz"');
    expect(health).toMatch(/503/);
  });

  it("Dockerfile: Node 20 bookworm-slim, npm install --omit=dev (not npm ci), non-root, HEALTHCHECK /healthz, entrypoint node bin/glycopilot.mjs", () => {
    const df = readFileSync(join(DEPLOY, "Dockerfile"), "utf8");
    const instructions = df
      .replace(/\\\n/g, " ")
      .split("\n")
      .filter((l) => !/^\s*#/.test(l));
    const from = instructions.filter((l) => /^FROM /.test(l));
    expect(from.length).toBeGreaterThan(0);
    for (const f of from) expect(f).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim/);
    expect(df).toMatch(/^ARG NODE_VERSION=20\b/m);
    const run = instructions.filter((l) => /^RUN /.test(l)).join("\n");
    expect(run).toMatch(/npm install --omit=dev/);
    expect(run).not.toMatch(/npm ci\b/);
    expect(df).toMatch(/COPY package\.json package-lock\.json/);
    const user = instructions.filter((l) => /^USER /.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|\s|$)/);
    expect(instructions.find((l) => /^HEALTHCHECK /.test(l))).toContain("/healthz");
    const entry = instructions.find((l) => /^ENTRYPOINT /.test(l)) ?? "";
    expect(entry).toMatch(/"node", "bin\/glycopilot\.mjs"\]/);
    expect(instructions.find((l) => /^CMD /.test(l))).toMatch(/\["start"\]/);
    expect(existsSync(join(ROOT, "bin/glycopilot.mjs"))).toBe(true);
    // every source folder the image copies exists, and the ones the CLI imports are all copied
    const copied = instructions
      .filter((l) => /^COPY --chown=\S+ [a-z]+ \.\/[a-z]+$/.test(l))
      .map((l) => l.split(" ")[2] as string);
    for (const d of copied) expect(existsSync(join(ROOT, d)), d).toBe(true);
    for (const d of ["bin", "core", "server", "rag", "guardrails", "bot", "evals"]) expect(copied).toContain(d);
  });

  it("Dockerfile: a build stage runs npm run build and the runtime runs the built dist/ (GLYCOPILOT_RUN=dist)", () => {
    const df = readFileSync(join(DEPLOY, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
    const lines = df.split("\n").filter((l) => !/^\s*#/.test(l));
    expect(lines.some((l) => /^FROM \S+ AS build$/.test(l))).toBe(true);
    expect(lines).toContain("RUN npm run build");
    expect(lines.some((l) => /^COPY --from=build \S* ?\/app\/dist \.\/dist$/.test(l.replace("--chown=root:root ", "")))).toBe(
      true,
    );
    expect(df).toMatch(/GLYCOPILOT_RUN=dist/);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe("node deploy/build.mjs");
    expect(existsSync(join(ROOT, "deploy/build.mjs"))).toBe(true);
    expect(readFileSync(join(ROOT, "bin/glycopilot.mjs"), "utf8")).toContain("dist/server/cli/index.js");
  });
});

describe("backing services", () => {
  it("Redis persists with AOF (appendonly yes, appendfsync everysec) and never evicts (BullMQ)", () => {
    const composeRedis = composeService("redis")
      .map((l) => l.text)
      .join(" ");
    expect(composeRedis).toMatch(/--appendonly yes/);
    expect(composeRedis).toMatch(/--appendfsync everysec/);
    expect(composeRedis).toMatch(/--maxmemory-policy noeviction/);
    expect(composeService("redis").some((l) => /redis-data:\/data/.test(l.text))).toBe(true);
    const conf = k8s("ConfigMap", "redis-config").text;
    expect(conf).toMatch(/^\s+appendonly yes$/m);
    expect(conf).toMatch(/^\s+appendfsync everysec$/m);
    expect(conf).toMatch(/^\s+maxmemory-policy noeviction$/m);
    expect(k8s("StatefulSet", "redis").text).toMatch(/volumeClaimTemplates/);
  });

  it("KEDA scales workers with the Prometheus scaler on glyco_queue_depth, a metric the app exports", async () => {
    const so = k8s("ScaledObject", "glycopilot-worker");
    expect(scalars(block(so.lines, "scaleTargetRef")).get("name")).toBe("glycopilot-worker");
    const trigger = block(so.lines, "triggers");
    expect(trigger.find((l) => l.text.startsWith("- type:"))?.text).toBe("- type: prometheus");
    const meta = scalars(block(trigger, "metadata"));
    expect(meta.get("query")).toMatch(/\bglyco_queue_depth\b/);
    expect(meta.get("serverAddress")).toMatch(/^https?:\/\//);
    expect(Number(meta.get("threshold"))).toBeGreaterThan(0);
    const spec = scalars(block(so.lines, "spec"));
    expect(Number(spec.get("minReplicaCount"))).toBeGreaterThanOrEqual(1); // the requeue sweep runs in workers

    // the metric exists under that name, fed by the queue's depth
    const metrics = createMetrics({ depth: async () => 7 } as unknown as Queue);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^glyco_queue_depth\{service="glycopilot"\} 7$/m);

    // scraped from the servers at /metrics
    const sm = k8s("ServiceMonitor", "glycopilot-server");
    expect(sm.text).toMatch(/path: \/metrics/);
    expect(readFileSync(join(ROOT, "server/app.ts"), "utf8")).toMatch(/app\.get\(\s*"\/metrics"/);
  });

  it("the model host has room for every worker: host OLLAMA_NUM_PARALLEL >= maxReplicaCount x per-process OLLAMA_NUM_PARALLEL", () => {
    const ollama = k8s("StatefulSet", "ollama");
    const hostEnv = envList(block(ollama.lines, "env"));
    const host = Number(hostEnv.get("OLLAMA_NUM_PARALLEL"));
    const perProcess = Number(configMap.get("OLLAMA_NUM_PARALLEL"));
    const maxReplicas = Number(scalars(block(k8s("ScaledObject", "glycopilot-worker").lines, "spec")).get("maxReplicaCount"));
    expect(host).toBeGreaterThanOrEqual(maxReplicas * perProcess);
    expect(hostEnv.get("OLLAMA_KEEP_ALIVE")).toBe(configMap.get("OLLAMA_KEEP_ALIVE"));
    expect(ollama.text).toMatch(/nvidia\.com\/gpu: 1/);
    expect(ollama.text).toMatch(/nodeSelector:/);
    expect(ollama.text).toMatch(/tolerations:/);

    const composeHost = Number(scalars(block(composeService("ollama"), "environment")).get("OLLAMA_NUM_PARALLEL"));
    const composeWorkers = Number(scalars(block(composeService("worker"), "deploy")).get("replicas"));
    expect(composeHost).toBeGreaterThanOrEqual(composeWorkers * Number(composeEnvAnchor.get("OLLAMA_NUM_PARALLEL")));
    expect(
      block(composeService("ollama"), "devices")
        .map((l) => l.text)
        .join(" "),
    ).toMatch(/driver: nvidia/);
  });

  it("the Ollama init step builds the model from deploy/model/Modelfile", () => {
    expect(existsSync(join(DEPLOY, "model", "Modelfile"))).toBe(true);
    const init = composeService("ollama-init")
      .map((l) => l.text)
      .join(" ");
    expect(init).toMatch(/\.\/model:\/model:ro/);
    expect(init).toMatch(/ollama create "\$\$OLLAMA_MODEL" -f \/model\/Modelfile/);
    expect(k8s("Job", "ollama-model-create").text).toMatch(/ollama create "\$MODEL" -f \/model\/Modelfile/);
  });

  it("PostgreSQL 16, Chroma (heartbeat) and their volumes", () => {
    expect(composeService("postgres").find((l) => l.text.startsWith("image:"))?.text).toMatch(/postgres:16\b/);
    expect(
      block(composeService("postgres"), "healthcheck")
        .map((l) => l.text)
        .join(" "),
    ).toMatch(/pg_isready/);
    expect(composeService("chroma").find((l) => l.text.startsWith("image:"))?.text).toMatch(/chromadb\/chroma:/);
    expect(
      block(composeService("chroma"), "healthcheck")
        .map((l) => l.text)
        .join(" "),
    ).toMatch(/\/api\/v2\/heartbeat/);
    expect(k8s("StatefulSet", "chroma").text).toMatch(/path: \/api\/v2\/heartbeat/);
    expect(k8s("StatefulSet", "postgres").text).toMatch(/image: postgres:16\b/);
    expect(configMap.get("CHROMA_URL")).toMatch(/:8000$/);
  });
});

describe("network policies", () => {
  const policies = k8sDocs.filter((d) => d.kind === "NetworkPolicy");

  it("default deny, and only the server accepts traffic from the ingress controller", () => {
    const deny = policies.find((p) => p.name === "default-deny-all") as K8sDoc;
    expect(deny.text).toMatch(/podSelector: \{\}/);
    expect(deny.text).toMatch(/policyTypes: \[Ingress, Egress\]/);
    const fromIngress = policies.filter((p) => /ingress-nginx/.test(p.text));
    expect(fromIngress.map((p) => p.name)).toEqual(["server-ingress"]);
    expect(block(fromIngress[0]?.lines ?? [], "podSelector").map((l) => l.text)).toContain("app.kubernetes.io/component: server");
  });

  it("internet egress (HTTPS only) for server and worker pods only", () => {
    const internet = policies.filter((p) => /0\.0\.0\.0\/0/.test(p.text));
    expect(internet.map((p) => p.name)).toEqual(["app-egress-chat-apis"]);
    const p = internet[0] as K8sDoc;
    expect(p.text).toMatch(/values: \[server, worker\]/);
    expect(p.text).toMatch(/port: 443/);
    expect(p.text).toMatch(/except: \[10\.0\.0\.0\/8/);
  });

  it("app pods reach Redis, PostgreSQL, Chroma and Ollama on their ports", () => {
    const p = policies.find((x) => x.name === "app-egress-backends") as K8sDoc;
    for (const [svc, port] of [
      ["redis", 6379],
      ["postgres", 5432],
      ["chroma", 8000],
      ["ollama", 11434],
    ] as const) {
      expect(p.text).toMatch(
        new RegExp(`app\\.kubernetes\\.io/name: ${svc} \\} \\}\\n\\s+ports: \\[\\{ protocol: TCP, port: ${port} \\}\\]`),
      );
    }
  });
});
