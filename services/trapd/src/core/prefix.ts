/**
 * The network a source shares its budget with: the /24 of an IPv4 address, the /64 of an IPv6
 * one (RFC 4291 §2.5.4: one link's interface identifiers; one host often holds a whole /64).
 * Anything that parses as neither is its own prefix.
 */
export function prefixOf(src: string): string {
  if (src.includes(".") && !src.includes(":")) {
    const i = src.lastIndexOf(".");
    return i > 0 ? `${src.slice(0, i)}.0/24` : src;
  }
  if (!src.includes(":")) return src;
  const a = src.split("%")[0]!.toLowerCase();
  const dbl = a.indexOf("::");
  let head: string[];
  if (dbl < 0) head = a.split(":");
  else {
    const left = a.slice(0, dbl) ? a.slice(0, dbl).split(":") : [];
    const right = a.slice(dbl + 2) ? a.slice(dbl + 2).split(":") : [];
    // An embedded dotted quad (::ffff:a.b.c.d) counts as two groups.
    const rightGroups = right.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
    head = [...left, ...Array<string>(Math.max(0, 8 - left.length - rightGroups)).fill("0"), ...right];
  }
  const four = head.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  while (four.length < 4) four.push("0");
  return `${four.join(":")}::/64`;
}
