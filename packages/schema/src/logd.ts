import { Type, type Static } from "@sinclair/typebox";

/**
 * `hm/v1/logd/failure`: a jail saw `count` failures (≥ its maxretry) from one address within its
 * findtime. scand turns it into a ban decision with evidence kind `jail`. The summary is built by
 * logd from the filter's fields (user names cut to 64 characters); it never leaves the node (the
 * mesh shares only jail, count and window).
 */
export const JailFailure = Type.Object(
  {
    jail: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,32}$" }),
    /** The address as the log wrote it (IPv4 or IPv6 text); scand canonicalises and checks it. */
    address: Type.String({ minLength: 2, maxLength: 64 }),
    count: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    window_s: Type.Number({ minimum: 0, maximum: 31_536_000 }),
    /** The jail's bantime (0 = scand's default). */
    bantime_s: Type.Integer({ minimum: 0, maximum: 31_536_000 }),
    first_at: Type.Integer({ minimum: 0 }),
    last_at: Type.Integer({ minimum: 0 }),
    summary: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type JailFailure = Static<typeof JailFailure>;
