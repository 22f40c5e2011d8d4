/**
 * Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` once per family, then samples.
 * Label values escape backslash, double quote and newline.
 */
export class Exposition {
  private readonly families = new Map<string, { help: string; type: "gauge" | "counter"; samples: string[] }>();

  add(name: string, type: "gauge" | "counter", help: string, value: number, labels: Record<string, string> = {}): void {
    if (!Number.isFinite(value)) return;
    let f = this.families.get(name);
    if (!f) this.families.set(name, (f = { help, type, samples: [] }));
    const l = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
    f.samples.push(`${name}${l.length ? `{${l.join(",")}}` : ""} ${value}`);
  }

  text(): string {
    let out = "";
    for (const [name, f] of this.families) out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.samples.join("\n")}\n`;
    return out;
  }
}

/** A health detail key as a metric-name fragment ([a-zA-Z_:][a-zA-Z0-9_:]*). */
export function metricKey(key: string): string {
  const s = key.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[a-zA-Z_]/.test(s) ? s : `_${s}`;
}
