/**
 * Fail2Ban's tags (server/failregex.py, Regex._resolveHostTag), expanded to Python syntax before
 * translation. `<HOST>` is an address or a DNS name; the DNS name is captured (as Fail2Ban does)
 * but never resolved: a match whose host is a name counts as having no address.
 */
const IP_4_RE = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
const IP_6_RE = String.raw`(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)`;
const R_IPV4 = String.raw`(?:::f{4,6}:)?(?P<ip4>${IP_4_RE})`;
const R_IPV6 = `(?P<ip6>${IP_6_RE})`;
const R_DNS = String.raw`(?P<dns>[\w\-.^_]*\w)`;
const R_ADDR = String.raw`\[?(?:${R_IPV4}|${R_IPV6})\]?`;
const R_HOST = `(?:${R_ADDR}|${R_DNS})`;
const R_CIDR = String.raw`(?P<cidr>\d+)`;
const R_SUBNET = String.raw`\[?(?:${R_IPV4}|${R_IPV6})(?:/${R_CIDR})?\]?`;

const STATIC: Record<string, string> = {
  HOST: R_HOST,
  IP4: R_IPV4,
  "F-IP4/": R_IPV4,
  IP6: R_IPV6,
  "F-IP6/": R_IPV6,
  ADDR: R_ADDR,
  "F-ADDR/": R_ADDR,
  CIDR: R_CIDR,
  "F-CIDR/": R_CIDR,
  SUBNET: R_SUBNET,
  "F-SUBNET/": R_SUBNET,
  DNS: R_DNS,
  "F-DNS/": R_DNS,
  "F-ID/": String.raw`(?P<fid>\S+)`,
  "F-PORT/": String.raw`(?P<fport>\w+)`,
};

const R_MAP: Record<string, string> = { id: "fid", port: "fport" };

/** The Python group name for a custom tag: `<F-USER>` → `user`, `<F-ALT_USER>` → `alt_user`. */
export function tagGroupName(tag: string): string {
  const t = tag.toLowerCase();
  return R_MAP[t] ?? t.replace(/-/g, "_");
}

export function resolveTags(regex: string, useDns: "yes" | "no" = "yes"): string {
  const open = new Set<string>();
  let nl = 0;
  return regex.replace(/<\/?[\w-]+\/?>/g, (tag) => {
    const tn = tag.slice(1, -1);
    if (tn === "HOST") return useDns === "no" ? R_ADDR : R_HOST;
    if (tn === "SKIPLINES") return String.raw`\n(?P<skiplines${nl++}>(?:(?:.*\n)*?))`;
    const st = STATIC[tn];
    if (st !== undefined) return st;
    const m = /^(\/?)F-([A-Z0-9_-]+)$/.exec(tn);
    if (m) {
      const name = m[2] ?? "";
      if (m[1]) return open.has(name) ? ")" : tag;
      open.add(name);
      return `(?P<${tagGroupName(name)}>`;
    }
    return tag;
  });
}
