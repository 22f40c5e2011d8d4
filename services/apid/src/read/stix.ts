import { createHash } from "node:crypto";
import type { Indicator, StixBundle } from "@honeymesh/api/events";

/** A stable UUID (version 5 layout, RFC 9562 §5.5) from a name, so an indicator keeps its STIX id across exports. */
function uuid5(name: string): string {
  const h = createHash("sha1").update(`honeymesh-indicator:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A string literal of STIX patterning (STIX 2.1 §9.2): backslash and quote escaped. */
const lit = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

function pattern(i: Indicator): string {
  switch (i.type) {
    case "url":
      return `[url:value = ${lit(i.value)}]`;
    case "file":
      return `[file:hashes.'SHA-256' = ${lit(i.value)}]`;
    case "ssh-key":
      // STIX has no SSH key object; a custom one (x- prefix, §11.1) names the fingerprint.
      return `[x-ssh-key:fingerprint = ${lit(i.value)}]`;
    case "host":
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(i.value)) return `[ipv4-addr:value = ${lit(i.value)}]`;
      if (i.value.includes(":")) return `[ipv6-addr:value = ${lit(i.value)}]`;
      return `[domain-name:value = ${lit(i.value)}]`;
  }
}

const NAMES: Record<Indicator["type"], string> = { url: "download URL", host: "contacted host", "ssh-key": "planted SSH key", file: "uploaded or dropped file" };

/** The indicators as a STIX 2.1 bundle of `indicator` objects. */
export function stixBundle(items: readonly Indicator[], now = Date.now()): StixBundle {
  const stamp = (ms: number) => new Date(ms).toISOString();
  return {
    type: "bundle",
    id: `bundle--${uuid5(`bundle:${now}:${items.length}`)}`,
    objects: items.map((i) => ({
      type: "indicator",
      spec_version: "2.1",
      id: `indicator--${uuid5(`${i.type}:${i.value}`)}`,
      created: stamp(i.first_seen),
      modified: stamp(i.last_seen),
      name: `${NAMES[i.type]} seen by a HoneyMesh trap: ${i.value}`.slice(0, 512),
      indicator_types: ["malicious-activity"],
      pattern: pattern(i),
      pattern_type: "stix",
      valid_from: stamp(i.first_seen),
    })),
  };
}
