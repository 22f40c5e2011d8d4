import type { ServiceName } from "@honeymesh/schema/services";

/**
 * JavaScriptCore settings a service runs with, beyond the node-wide heap hint. JSC reads them
 * from the environment at start only, so every launch path applies them: `honeymesh up`
 * (cli/src/supervisor/child.ts), the systemd units and compose.yaml (both checked against this
 * table by engine-env.test.ts), and bench/ measures a service under them.
 *
 * logd: its work is regular expressions over every log line. JSC's top tier (FTL) bought it no
 * throughput there (bench/logd, lines per CPU-second within noise), while compiling it cost about
 * 5 MB of RSS: the compiler's own code pages and its freed working memory.
 */
export const ENGINE_ENV: Partial<Record<ServiceName, Readonly<Record<string, string>>>> = {
  logd: { BUN_JSC_useFTLJIT: "0" },
};

/** The environment a service's JS engine gets: its own settings plus the heap hint ([node] memory_hint_mb, 0 = none). */
export function engineEnv(name: ServiceName, memoryHintMb: number): Record<string, string> {
  const env: Record<string, string> = { ...ENGINE_ENV[name] };
  if (memoryHintMb > 0) env.BUN_JSC_forceRAMSize = String(memoryHintMb * 1048576);
  return env;
}
