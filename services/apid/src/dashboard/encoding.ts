export type Coding = "br" | "gzip" | "identity";

/**
 * The best coding we have that Accept-Encoding allows (RFC 9110 §12.5.3): q-values honoured,
 * `*` covers codings not named, q=0 refuses. Without the header, identity.
 */
export function pickCoding(header: string | null, have: { br: boolean; gzip: boolean }): Coding {
  if (!header) return "identity";
  const q = new Map<string, number>();
  for (const part of header.slice(0, 512).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, weight);
  }
  const star = q.get("*");
  const weight = (c: string) => q.get(c) ?? (c === "gzip" ? q.get("x-gzip") : undefined) ?? star ?? 0;
  const options: [Coding, number][] = [];
  if (have.br) options.push(["br", weight("br")]);
  if (have.gzip) options.push(["gzip", weight("gzip")]);
  // Ties go to the earlier (smaller) coding: br before gzip.
  const best = options.filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : "identity";
}

/** If-None-Match against one ETag, with the weak comparison the header uses (RFC 9110 §13.1.2). */
export function notModified(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch
    .slice(0, 2048)
    .split(",")
    .some((t) => t.trim().replace(/^W\//, "") === bare);
}
