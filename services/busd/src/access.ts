import type { Client, PublishPacket, Subscription } from "aedes";
import { Counters } from "@honeymesh/bus/counters";
import type { KeyRing } from "@honeymesh/bus/key-ring";
import { verifyConnectToken } from "@honeymesh/bus/token";
import { isBusIdentity } from "@honeymesh/schema/services";
import { TOPIC_PREFIX } from "@honeymesh/schema/topics";
import type { Logger } from "@honeymesh/telemetry/logger";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";

export type Refusal = "auth_unknown_user" | "auth_bad_token" | "acl_publish" | "acl_subscribe";

/** Which bus identity each connected client proved to be. */
const identities = new WeakMap<Client, string>();

/**
 * Broker authentication and ACL (DESIGN §2): a client is who its JWT says, signed by that
 * identity's own key; it may publish only under hm/v1/<identity>/ and subscribe only under hm/v1/.
 */
export function createAccess(ring: KeyRing, logger: Logger) {
  const refused = new Counters<Refusal>();
  const gate = new RateLimitedGate();
  const refuse = (why: Refusal, client: Client | null, extra: Record<string, unknown> = {}) => {
    refused.inc(why);
    const suppressed = gate.pass(why);
    if (suppressed !== undefined) logger.warn("bus refused a client action", { why, client: client?.id?.slice(0, 64), suppressed, ...extra });
  };

  let draining = false;
  return {
    refused,
    /** From now on refuse every publish, unacknowledged, so publishers keep it and resend it to the next broker. */
    drain(): void {
      draining = true;
    },
    authenticate(client: Client, username: Readonly<string> | undefined, password: Readonly<Buffer> | undefined, done: (err: null, ok: boolean) => void): void {
      if (!username || !isBusIdentity(username) || !password) {
        refuse("auth_unknown_user", client, { username: username?.slice(0, 32) });
        return done(null, false);
      }
      verifyConnectToken(ring, username, password.toString("utf8")).then(
        (ok) => {
          if (ok) identities.set(client, username);
          else refuse("auth_bad_token", client, { username });
          done(null, ok);
        },
        () => done(null, false),
      );
    },
    authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void): void {
      // client is null for the broker's own ($SYS) messages.
      if (!client) return done(null);
      // A QoS 1 message accepted now could only be queued in memory for an offline session and
      // lost when this process exits; refusing it leaves it in the publisher's own store.
      if (draining) return done(new Error("broker is shutting down"));
      const id = identities.get(client);
      if (id && packet.topic.startsWith(`${TOPIC_PREFIX}/${id}/`)) return done(null);
      refuse("acl_publish", client, { topic: packet.topic.slice(0, 128), identity: id });
      done(new Error("publish not allowed"));
    },
    authorizeSubscribe(client: Client | null, sub: Subscription, done: (err: Error | null, sub?: Subscription | null) => void): void {
      if (client && identities.has(client) && (sub.topic === `${TOPIC_PREFIX}/#` || sub.topic.startsWith(`${TOPIC_PREFIX}/`))) return done(null, sub);
      refuse("acl_subscribe", client, { topic: sub.topic.slice(0, 128) });
      // A null subscription tells the client "failure" (0x80) without dropping the connection.
      done(null, null);
    },
  };
}
