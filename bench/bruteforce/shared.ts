/** What every contender is given: the same jail numbers and the same attack. */
export interface JailNumbers {
  maxretry: number;
  findtimeS: number;
  bantimeS: number;
}

/** The port of the plain TCP listener the drop probe connects to (not sshd's: probing must not load sshd). */
export const PROBE_PORT = 2200;

/** The kernel connection guard for the third run: completed handshakes per source per minute to these ports before a ban. */
export interface GuardSettings {
  ports: number[];
  maxNewPerMin: number;
}
