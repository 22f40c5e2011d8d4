import { createHash } from "node:crypto";
import { reasonNames } from "@honeymesh/ban/reasons";
import type { BanValues } from "../read/ban-reader.ts";
import { csvLine } from "../read/export-stream.ts";

export const FEED_OUT_FORMATS = ["plain", "csv", "stix"] as const;
export type FeedOutFormat = (typeof FEED_OUT_FORMATS)[number];

export const FEED_OUT_TYPES: Record<FeedOutFormat, string> = {
  plain: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  stix: "application/stix+json;version=2.1",
};

/** A name-based UUID (RFC 9562 §5.5, version 5) so the same ban keeps the same STIX id across exports. */
const NAMESPACE = Buffer.from("5c3a1d2e7b4f4f0a9e8d6c5b4a392817", "hex");
export function uuid5(name: string): string {
  const h = createHash("sha1").update(NAMESPACE).update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function identityObject(nodeId: string, now: number): Record<string, unknown> {
  return { type: "identity", spec_version: "2.1", id: `identity--${uuid5(`node:${nodeId}`)}`, created: iso(now), modified: iso(now), name: `HoneyMesh node ${nodeId}`, identity_class: "system" };
}

function summaries(evidence: string): string {
  try {
    const items = JSON.parse(evidence) as { summary?: unknown }[];
    return Array.isArray(items) ? items.map((e) => (typeof e.summary === "string" ? e.summary : "")).filter(Boolean).join("; ").slice(0, 1024) : "";
  } catch {
    return "";
  }
}

/** The STIX id of a ban's indicator: stable for the ban (address and creation), whatever else changes. */
export function indicatorId(address: string, createdAt: number): string {
  return `indicator--${uuid5(`ban:${address}:${createdAt}`)}`;
}

/**
 * One ban as a STIX 2.1 Indicator (OASIS STIX 2.1 §4.7): a pattern on ipv4-addr / ipv6-addr
 * (a prefix is a valid value there, §C.2), valid from the ban's creation until its expiry.
 */
export function stixIndicator(r: BanValues, identityId: string): Record<string, unknown> {
  const [, address, , reasons, expiresAt, createdAt, updatedAt, origin, , , evidence] = r;
  const type = address.includes(":") ? "ipv6-addr" : "ipv4-addr";
  const ind: Record<string, unknown> = {
    type: "indicator",
    spec_version: "2.1",
    id: indicatorId(address, createdAt),
    created_by_ref: identityId,
    created: iso(createdAt),
    modified: iso(Math.max(createdAt, updatedAt)),
    name: `HoneyMesh ban ${address}`,
    description: summaries(evidence) || `banned for ${reasonNames(reasons).join(", ")}`,
    indicator_types: ["malicious-activity"],
    pattern: `[${type}:value = '${address}']`,
    pattern_type: "stix",
    valid_from: iso(createdAt),
    labels: reasonNames(reasons).map((n) => n.toLowerCase()),
    x_honeymesh_origin: origin,
  };
  if (expiresAt !== 0) ind.valid_until = iso(Math.max(expiresAt, createdAt + 1));
  return ind;
}

export const FEED_CSV_HEADER = "address,kind,reasons,expires_at,created_at,origin";

export function feedCsv(r: BanValues): string {
  return csvLine([r[1], r[2], reasonNames(r[3]).join("|"), r[4] === 0 ? "" : iso(r[4]), iso(r[5]), r[7]]);
}
