import { Type, type Static } from "@sinclair/typebox";

/**
 * enforcerd → scand: the kernel's connection guard saw a source complete more handshakes to a
 * guarded real-service port within the window than `[guard] max_new_per_min` allows. The
 * handshakes completed, so the source is not spoofed: verified evidence.
 */
export const GuardObservation = Type.Object({
  src: Type.String({ maxLength: 64 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  /** Completed handshakes counted in the window when the source was reported. */
  connections: Type.Integer({ minimum: 1 }),
  window_s: Type.Integer({ minimum: 1 }),
  at: Type.Integer({ minimum: 0 }),
});
export type GuardObservation = Static<typeof GuardObservation>;
