import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TObject, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { parse as parseToml } from "smol-toml";
import { coerceEnv, describeAllowed } from "./coerce.ts";
import { ConfigError } from "./errors.ts";
import { defaultRuntimeDir, defaultStateDir } from "./install-defaults.ts";
import { ConfigSchema, type FrozenConfig } from "./schema.ts";

type Env = Readonly<Record<string, string | undefined>>;
type Tree = Record<string, unknown>;

export interface LoadOptions {
  /** Path of the TOML file; when `explicit` is false a missing file means defaults. */
  path: string;
  explicit?: boolean;
  env?: Env;
  /** Default for [node] state_dir when neither the file nor the environment sets it. */
  defaultStateDir?: string;
  /** Directory of the bus and API sockets when neither the file nor the environment places them (installed: /run/honeymesh). */
  defaultRuntimeDir?: string | undefined;
}

/** Reads, overrides, validates and freezes the configuration. Throws ConfigError naming the key. */
export function loadConfig({ path, explicit = true, env = {}, defaultStateDir: stateDefault = defaultStateDir(), defaultRuntimeDir: runtimeDefault = defaultRuntimeDir() }: LoadOptions): FrozenConfig {
  const tree = readTree(path, explicit);
  rejectUnknown(ConfigSchema, tree, "");
  applyEnv(ConfigSchema, tree, "HONEYMESH", env);
  tree.node ??= {};
  if (tree.node && typeof tree.node === "object" && !Array.isArray(tree.node)) (tree.node as Tree).state_dir ??= stateDefault;
  if (runtimeDefault !== undefined) {
    // An installed node's sockets live in its runtime dir, not in the state dir (LAYOUT: <runtime>/bus.sock).
    tree.bus ??= {};
    if (tree.bus && typeof tree.bus === "object" && !Array.isArray(tree.bus)) (tree.bus as Tree).socket ??= join(runtimeDefault, "bus.sock");
  }
  const telemetry = (tree.telemetry ??= {}) as Tree;
  const otlp = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces` : undefined);
  if (otlp) telemetry.otlp_traces_endpoint = otlp;
  if (env.OTEL_EXPORTER_OTLP_HEADERS) telemetry.otlp_headers = env.OTEL_EXPORTER_OTLP_HEADERS;
  const value = Value.Default(ConfigSchema, tree) as Tree;
  // TypeBox does not descend into Record values: fill each [section.<name>] from its schema
  for (const [k, sub] of Object.entries(ConfigSchema.properties)) {
    const each = Object.values((sub as { patternProperties?: Record<string, TSchema> }).patternProperties ?? {})[0];
    const rec = value[k];
    if (each && rec && typeof rec === "object") for (const [n, v] of Object.entries(rec as Tree)) (rec as Tree)[n] = Value.Default(each, v ?? {});
  }
  const error = Value.Errors(ConfigSchema, value).First();
  if (error) {
    const key = error.path.replace(/^\//, "").replaceAll("/", ".");
    const schema = error.schema as TSchema;
    throw new ConfigError(
      "CONFIG_INVALID",
      `config key ${key} = ${JSON.stringify(error.value)} is not allowed: expected ${describeAllowed(schema)}`,
      key,
    );
  }
  const node = value.node as Tree;
  node.state_dir = resolve(String(node.state_dir));
  // The API socket lives in the state dir's runtime dir unless placed elsewhere (LAYOUT: <runtime>/api.sock).
  const api = value.api as Tree;
  api.socket = api.socket ? resolve(String(api.socket)) : join(runtimeDefault ?? join(String(node.state_dir), "run"), "api.sock");
  return deepFreeze({ ...value, path: resolve(path) }) as unknown as FrozenConfig;
}

function readTree(path: string, explicit: boolean): Tree {
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError("CONFIG_READ", `config file ${path} does not exist`);
    return {};
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("CONFIG_READ", `cannot read config file ${path}: ${(e as Error).message}`);
  }
  try {
    return parseToml(text) as Tree;
  } catch (e) {
    throw new ConfigError("CONFIG_PARSE", `config file ${path} is not valid TOML: ${(e as Error).message}`);
  }
}

function rejectUnknown(schema: TObject, tree: Tree, prefix: string): void {
  // a Record section ([jails.<name>]): any name the pattern allows, each checked against its schema
  const values = (schema as { patternProperties?: Record<string, TObject> }).patternProperties;
  if (values) {
    const each = Object.values(values)[0];
    for (const [k, v] of Object.entries(tree)) if (each && v && typeof v === "object" && !Array.isArray(v)) rejectUnknown(each, v as Tree, `${prefix}${k}.`);
    return;
  }
  for (const [k, v] of Object.entries(tree)) {
    const sub = schema.properties[k];
    const key = prefix + k;
    if (!sub || key === "telemetry") {
      const allowed = Object.keys(schema.properties).filter((p) => p !== "telemetry").join(", ");
      throw new ConfigError("CONFIG_INVALID", `unknown config key ${key}: allowed here are ${allowed}`, key);
    }
    if (sub.type === "object" && v && typeof v === "object" && !Array.isArray(v)) rejectUnknown(sub as TObject, v as Tree, `${key}.`);
  }
}

/** HONEYMESH_<SECTION>_<KEY> (nested: HONEYMESH_TRAPS_SSH_PORT) overrides the file. */
function applyEnv(schema: TObject, tree: Tree, prefix: string, env: Env): void {
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    if (prefix === "HONEYMESH" && k === "telemetry") continue;
    const name = `${prefix}_${k.toUpperCase()}`;
    if (sub.type === "object") {
      const child = (tree[k] && typeof tree[k] === "object" ? tree[k] : {}) as Tree;
      applyEnv(sub as TObject, child, name, env);
      if (Object.keys(child).length > 0) tree[k] = child;
      continue;
    }
    const raw = env[name];
    if (raw !== undefined) tree[k] = coerceEnv(sub, raw);
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
