import type { Evidence } from "@honeymesh/ban/evidence";
/** What scand remembers of one source, every part bounded. */
export interface SourceState {
  /** Port → last time seen (ms), in the short window; at most MAX_PORTS. */
  ports: Map<number, number>;
  /** Port → decayed weight, for low-and-slow. */
  slowPorts: Map<number, { w: number; at: number }>;
  /** Times of login attempts, newest last; at most MAX_ATTEMPTS. */
  attempts: { at: number; service: string }[];
  /** First port-observation time in the current short window, for "within 1.2 s" evidence. */
  firstAt: number;
  /** The first trap this source touched, as evidence, until it is banned. */
  touched: Evidence | undefined;
  /** Last time (ms) this source completed a handshake with us (a trap hit or session); -Infinity = never. */
  verifiedAt: number;
}

export const MAX_PORTS = 1024;
export const MAX_ATTEMPTS = 1024;

export function newSourceState(): SourceState {
  return { ports: new Map(), slowPorts: new Map(), attempts: [], firstAt: 0, touched: undefined, verifiedAt: -Infinity };
}

/** Records ports seen at `at`; forgets those older than the window. */
export function notePorts(s: SourceState, ports: readonly number[], at: number, windowMs: number): void {
  for (const [p, t] of s.ports) if (at - t > windowMs) s.ports.delete(p);
  if (s.ports.size === 0) s.firstAt = at;
  for (const p of ports) {
    if (s.ports.size >= MAX_PORTS && !s.ports.has(p)) break;
    s.ports.set(p, at);
  }
}

export function noteAttempts(s: SourceState, n: number, service: string, at: number, windowMs: number): void {
  const keepFrom = s.attempts.findIndex((a) => at - a.at <= windowMs);
  s.attempts.splice(0, keepFrom < 0 ? s.attempts.length : keepFrom);
  for (let i = 0; i < n && s.attempts.length < MAX_ATTEMPTS; i++) s.attempts.push({ at, service });
}
