import { inside } from "@honeymesh/ban/allowlist";
import { reasonNames } from "@honeymesh/ban/reasons";
import { parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import type { BanChange } from "@honeymesh/schema/ban";
import type { BanState } from "@honeymesh/schema/result";
import type { BanRow, BanStore } from "../store/ban-store.ts";

export function banChange(change: BanChange["change"], row: BanRow, at = Date.now()): BanChange {
  return { change, address: { kind: row.kind, text: row.address }, reasons: row.reasons, expires_at: row.expiresAt, origin: row.origin, offence: row.offence, evidence: row.evidence, confidence: row.confidence, at };
}

export function banState(row: BanRow): BanState {
  return { address: { kind: row.kind, text: row.address }, reasons: row.reasons, expires_at: row.expiresAt, origin: row.origin, source: row.source, offence: row.offence, confidence: row.confidence };
}

/** Live prefix bans that contain the address (other than the address itself): what still drops it. */
export function coveringPrefixes(store: BanStore, parsed: ParsedAddress, self: string, now: number): BanState[] {
  const out: BanState[] = [];
  for (const row of store.activePrefixes(now)) {
    if (row.address === self) continue;
    const p = parseAddress(row.address);
    if (p.ok && inside(parsed, p.value)) out.push(banState(row));
    if (out.length >= 16) break;
  }
  return out;
}

export function describeCover(covered: readonly BanState[]): string {
  if (covered.length === 0) return "";
  return `; still covered by ${covered.map((b) => `${b.address.text} (${reasonNames(b.reasons).join(",")})`).join(", ")}`;
}
