import { createHash } from "node:crypto";
import type { CapturedFile, PersistenceItem, TrapIndicators } from "@honeymesh/schema/trap";

const MAX_URLS = 16;
const MAX_HOSTS = 16;
const MAX_PERSIST = 8;
const MAX_FILES = 8;

/** Printable ASCII only (others %-escaped), so an indicator is safe to show and small in JSON. */
export function clean(s: string, max: number): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c > 0x20 && c < 0x7f ? ch : encodeURIComponent(ch).slice(0, 12);
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*)$/;

/** OpenSSH's fingerprint of an authorized_keys line (SHA256:<base64 of the blob's SHA-256, unpadded>), if it is one. */
export function authorizedKeyFingerprint(line: string): { fingerprint: string; type: string; comment: string } | undefined {
  const m = /(?:^|\s)((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/.exec(line.trim());
  if (!m) return undefined;
  const blob = Buffer.from(m[2]!, "base64");
  if (blob.length < 16) return undefined;
  return { fingerprint: `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`, type: m[1]!, comment: (m[3] ?? "").trim() };
}

/**
 * What an interactive session shows of the attacker's intent: where it tried to download from,
 * how it tried to stay, which files it brought. Bounded in items and characters; repeats are
 * dropped.
 */
export class Capture {
  readonly urls: string[] = [];
  readonly hosts: string[] = [];
  readonly persistence: PersistenceItem[] = [];
  readonly files: CapturedFile[] = [];

  url(raw: string): void {
    let u = raw.trim();
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `http://${u}`;
    let host: string;
    try {
      host = new URL(u).hostname;
    } catch {
      return;
    }
    const c = clean(u, 256);
    if (!this.urls.includes(c) && this.urls.length < MAX_URLS) this.urls.push(c);
    this.host(host);
  }

  host(raw: string): void {
    const h = raw.trim().toLowerCase();
    if (!h || h.length > 253 || !HOST.test(h)) return;
    if (!this.hosts.includes(h) && this.hosts.length < MAX_HOSTS) this.hosts.push(h);
  }

  /** URLs and /dev/tcp hosts anywhere in a line (unknown downloaders, scripts piped to sh). */
  scan(line: string): void {
    for (const m of line.matchAll(/\b(?:https?|ftp|tftp):\/\/[^\s'"`;|&<>()]{1,400}/gi)) this.url(m[0]);
    for (const m of line.matchAll(/\/dev\/(?:tcp|udp)\/([^/\s'"]{1,253})\/\d{1,5}/g)) this.host(m[1]!);
  }

  persist(item: PersistenceItem): void {
    const it: PersistenceItem = { kind: item.kind, path: clean(item.path, 256), detail: clean(item.detail, 256).replaceAll("%20", " ") };
    if (item.key_fingerprint) it.key_fingerprint = item.key_fingerprint.slice(0, 128);
    if (this.persistence.length >= MAX_PERSIST) return;
    if (this.persistence.some((p) => p.kind === it.kind && p.path === it.path && p.detail === it.detail)) return;
    this.persistence.push(it);
  }

  /** Looks at a file write for persistence: authorized_keys lines, cron files, startup scripts. */
  wrote(path: string, data: string): void {
    if (/(^|\/)authorized_keys2?$/.test(path)) {
      for (const line of data.split("\n").slice(0, 32)) {
        const k = authorizedKeyFingerprint(line);
        if (k) this.persist({ kind: "authorized_key", path, detail: `${k.type} ${k.comment}`.trim(), key_fingerprint: k.fingerprint });
      }
    } else if (/^\/etc\/crontab$|^\/etc\/cron\.|^\/var\/spool\/cron\//.test(path)) {
      const line = data.split("\n").find((l) => l.trim() && !l.trim().startsWith("#")) ?? data;
      this.persist({ kind: "crontab", path, detail: line });
    } else if (/^\/etc\/rc\.local$|^\/etc\/init\.d\/|^\/etc\/systemd\/system\/|^\/lib\/systemd\/system\/|\/\.bashrc$|\/\.profile$|^\/etc\/profile/.test(path)) {
      this.persist({ kind: "startup", path, detail: data.split("\n").find((l) => l.trim()) ?? "" });
    }
  }

  file(f: CapturedFile): void {
    if (this.files.length >= MAX_FILES || this.files.some((x) => x.sha256 === f.sha256 && x.name === f.name)) return;
    this.files.push({ ...f, name: clean(f.name, 256) });
  }

  indicators(): TrapIndicators | undefined {
    return this.urls.length || this.hosts.length ? { urls: [...this.urls], hosts: [...this.hosts] } : undefined;
  }
}
