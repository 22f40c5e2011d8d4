import { Type, type Static } from "@sinclair/typebox";

/** Most items one signed batch may carry; the 64 KiB message cap usually binds first. */
export const MAX_BATCH_ITEMS = 1024;

/** One item of a batch: its body and, when traced, the producer span it continues. */
export const BatchItem = Type.Object({
  d: Type.Unknown(),
  tp: Type.Optional(Type.String({ maxLength: 128 })),
});
export type BatchItem = Static<typeof BatchItem>;

/**
 * Claims of every bus message (DESIGN §2): a compact JWS whose payload is these claims.
 * A message carries one body `d`, or a batch `b` of bodies for the same topic under one
 * signature (cost per message falls with load). Exactly one of the two is present. Each body is
 * validated separately against the topic's own schema, so one bad item is refused alone.
 */
export const EnvelopeClaims = Type.Object({
  iss: Type.String({ maxLength: 32 }),
  iat: Type.Integer(),
  exp: Type.Integer(),
  jti: Type.String({ minLength: 8, maxLength: 64 }),
  tp: Type.Optional(Type.String({ maxLength: 128 })),
  d: Type.Optional(Type.Unknown()),
  b: Type.Optional(Type.Array(BatchItem, { minItems: 1, maxItems: MAX_BATCH_ITEMS })),
});
export type EnvelopeClaims = Static<typeof EnvelopeClaims>;
