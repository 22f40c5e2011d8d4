import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { TrapSession } from "@honeymesh/schema/trap";
import type { Finding } from "./types.ts";

const TOOLS = /\b(wget|curl|tftp|ftpget|scp|nc|ncat|fetch|lwp-download)\b(?!.*\b(?:wget|curl|tftp|ftpget|scp|nc|ncat)\b)/;

/** The downloader named right before the URL in the command that holds it ("wget", "curl", …). */
function toolFor(url: string, commands: readonly string[]): string | undefined {
  for (const c of commands) {
    const host = url.replace(/^[a-z]+:\/\//i, "").split("/")[0]!;
    const i = c.indexOf(host);
    if (i < 0) continue;
    const m = TOOLS.exec(c.slice(0, i));
    if (m) return m[1];
  }
  return undefined;
}

/**
 * What an interactive trap session captured, as evidence: a download attempt (the URL, or the
 * host when no URL) and each persistence item (an authorized_keys key by its fingerprint, a cron
 * line). Reason TRAP (the kernel's slots stay as they are); the evidence kind is "trap" with the
 * summary saying DOWNLOAD or PERSISTENCE, so the ban names the URL or key while the mesh, which
 * keeps only kind/trap/ports/counts, carries no attacker text. `news`: new facts that belong on
 * the ban even if the source is banned already (the decision extends it and merges evidence).
 */
export function captureFindings(t: TrapSession): (Finding & { news: true })[] {
  const out: (Finding & { news: true })[] = [];
  const extra = { trap: t.service, ports: [t.dst_port] };
  const urls = t.indicators?.urls ?? [];
  if (urls.length) {
    const tool = toolFor(urls[0]!, t.commands);
    out.push({ news: true, reasons: REASONS.TRAP, evidence: evidence("trap", `DOWNLOAD: ${tool ? `${tool} ` : ""}${urls[0]}${urls.length > 1 ? ` (+${urls.length - 1} more)` : ""}`, { ...extra, count: urls.length }) });
  } else if (t.indicators?.hosts.length) {
    out.push({ news: true, reasons: REASONS.TRAP, evidence: evidence("trap", `DOWNLOAD: connection to ${t.indicators.hosts.slice(0, 3).join(", ")}`, { ...extra, count: t.indicators.hosts.length }) });
  }
  for (const p of (t.persistence ?? []).slice(0, 3)) {
    const what = p.kind === "authorized_key" ? `authorized_keys ${p.key_fingerprint ?? p.detail}` : p.kind === "crontab" ? `crontab ${p.detail}` : `${p.kind} ${p.path}: ${p.detail}`;
    out.push({ news: true, reasons: REASONS.TRAP, evidence: evidence("trap", `PERSISTENCE: ${what}`, extra) });
  }
  for (const f of (t.files ?? []).slice(0, 2)) out.push({ news: true, reasons: REASONS.TRAP, evidence: evidence("trap", `UPLOAD: ${f.via} ${f.name} sha256:${f.sha256}`, { ...extra, count: f.size }) });
  return out;
}
