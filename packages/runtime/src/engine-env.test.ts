import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { SERVICES } from "@honeymesh/schema/services";
import { ENGINE_ENV, engineEnv } from "./engine-env.ts";

const ROOT = resolve(import.meta.dir, "../../..");

test("engineEnv: the service's own settings and the heap hint", () => {
  expect(engineEnv("logd", 256)).toEqual({ BUN_JSC_useFTLJIT: "0", BUN_JSC_forceRAMSize: String(256 * 1048576) });
  expect(engineEnv("scand", 0)).toEqual({});
});

test("every launch path gives each service exactly its engine settings: systemd units and compose.yaml", () => {
  const compose = Bun.YAML.parse(readFileSync(join(ROOT, "compose.yaml"), "utf8")) as { services: Record<string, { environment?: Record<string, string> }> };
  const keys = new Set(Object.values(ENGINE_ENV).flatMap((e) => Object.keys(e ?? {})));
  for (const name of SERVICES) {
    const want = Object.entries(ENGINE_ENV[name] ?? {}).sort();
    const unit = readFileSync(join(ROOT, `deploy/systemd/honeymesh-${name}.service`), "utf8");
    const fromUnit = [...unit.matchAll(/^Environment=([A-Za-z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as [string, string]).filter(([k]) => keys.has(k)).sort();
    expect([name, fromUnit]).toEqual([name, want]);
    const env = compose.services[name]?.environment ?? {};
    const fromCompose = Object.entries(env).filter(([k]) => keys.has(k)).map(([k, v]) => [k, String(v)] as [string, string]).sort();
    expect([name, fromCompose]).toEqual([name, want]);
  }
});
