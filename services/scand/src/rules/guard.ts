import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { GuardObservation } from "@honeymesh/schema/guard";
import type { Finding } from "./types.ts";

/**
 * The kernel's connection guard counted more completed handshakes from one source to a real
 * service's port than `[guard] max_new_per_min` allows: a password-guessing tool opening
 * connection after connection, seen before sshd has logged its failures. BRUTEFORCE, like
 * repeated logins at the traps; verified, because every counted handshake completed.
 */
export function guardFinding(o: GuardObservation): Finding {
  return {
    reasons: REASONS.BRUTEFORCE,
    evidence: evidence("guard", `guard: ${o.connections} connections to port ${o.port} in ${o.window_s} s`, { ports: [o.port], count: o.connections, window_s: o.window_s }),
  };
}
