/**
 * TAXII 2.1's media types (§1.6.8) and the Accept check of its content negotiation: a request
 * whose Accept admits none of what the server can send is answered 406 (§1.6.8.1, RFC 9110 §15.5.7).
 */
export const TAXII_TYPE = "application/taxii+json;version=2.1";
export const STIX_TYPE = "application/stix+json;version=2.1";

interface Range {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

function parseRanges(header: string): Range[] {
  const out: Range[] = [];
  for (const item of header.slice(0, 4096).split(",").slice(0, 64)) {
    const [mt = "", ...rawParams] = item.split(";");
    const [type, subtype] = mt.trim().toLowerCase().split("/");
    if (!type || !subtype) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rawParams) {
      const i = p.indexOf("=");
      if (i < 0) continue;
      const k = p.slice(0, i).trim().toLowerCase();
      const v = p.slice(i + 1).trim().replace(/^"(.*)"$/, "$1");
      if (k === "q") q = Number.isFinite(Number(v)) ? Math.min(1, Math.max(0, Number(v))) : 0;
      else params.set(k, v.toLowerCase());
    }
    out.push({ type, subtype, params, q });
  }
  return out;
}

/**
 * Whether a request's Accept admits `application/taxii+json;version=2.1`. No Accept admits
 * anything (RFC 9110 §12.5.1); `application/taxii+json` without a version means the newest one,
 * 2.1 here (TAXII 2.1 §1.6.8.1); the most specific matching range decides, so `q=0` on it refuses.
 */
export function acceptsTaxii(accept: string | null): boolean {
  if (accept === null || accept.trim() === "") return true;
  let best: { rank: number; q: number } | undefined;
  for (const r of parseRanges(accept)) {
    let rank = -1;
    if (r.type === "*" && r.subtype === "*") rank = 0;
    else if (r.type === "application" && r.subtype === "*") rank = 1;
    else if (r.type === "application" && r.subtype === "taxii+json") {
      const v = r.params.get("version");
      if (v === undefined) rank = 2;
      else if (v === "2.1") rank = 3;
    }
    if (rank >= 0 && (!best || rank > best.rank)) best = { rank, q: r.q };
  }
  return best !== undefined && best.q > 0;
}
