const pad = (n: number) => String(n).padStart(2, "0");

export function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function dateTime(ms: number): string {
  if (!ms) return "—";
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
}

/** A duration in the largest two units: 3d 4h, 5h 12m, 4m 09s, 12s. */
export function duration(s: number): string {
  s = Math.max(0, Math.floor(s));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${pad(m)}m`;
  if (m) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

export function ago(ms: number, now: number): string {
  if (!ms) return "never";
  const s = (now - ms) / 1000;
  return s < 1 ? "just now" : `${duration(s)} ago`;
}

export function countdown(expiresAt: number, now: number): { text: string; tone: "perm" | "soon" | "live" | "gone" } {
  if (expiresAt === 0) return { text: "permanent", tone: "perm" };
  const s = (expiresAt - now) / 1000;
  if (s <= 0) return { text: "expired", tone: "gone" };
  return { text: duration(s), tone: s < 300 ? "soon" : "live" };
}

export function num(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return n.toLocaleString("en-US");
}

export function rate(n: number): string {
  if (!Number.isFinite(n)) return "—";
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const TTL_CHOICES: { label: string; s: number }[] = [
  { label: "1 hour", s: 3600 },
  { label: "24 hours", s: 86_400 },
  { label: "7 days", s: 604_800 },
  { label: "30 days", s: 2_592_000 },
  { label: "permanent", s: 0 },
];
