import { readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/**
 * Transcripts follow the sessions' retention: older than `maxAgeMs` go, and beyond `maxFiles`
 * the oldest go, so the directory stays bounded whatever the traffic. Returns how many were removed.
 */
export function pruneTranscripts(dir: string, maxAgeMs: number, maxFiles: number, now = Date.now()): number {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".cast"));
  } catch {
    return 0;
  }
  const files: { path: string; mtime: number }[] = [];
  for (const n of names) {
    try {
      files.push({ path: join(dir, n), mtime: statSync(join(dir, n)).mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  files.sort((a, b) => b.mtime - a.mtime);
  let removed = 0;
  files.forEach((f, i) => {
    if (i < maxFiles && now - f.mtime <= maxAgeMs) return;
    try {
      unlinkSync(f.path);
      removed++;
    } catch {
      // gone already
    }
  });
  return removed;
}
