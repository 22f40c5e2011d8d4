/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) → "192.0.2.1"; other addresses as they are. */
export function normalizeAddress(addr: string | undefined): string {
  if (!addr) return "unknown";
  const a = addr.startsWith("::ffff:") && addr.includes(".") ? addr.slice(7) : addr;
  return a.length >= 2 ? a.slice(0, 64) : "unknown";
}
