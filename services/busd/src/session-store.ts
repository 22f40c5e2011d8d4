import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Aedes, Client, Subscription } from "aedes";
import type { Logger } from "@honeymesh/telemetry/logger";

/** Aedes exposes its persistence at run time but not in its types. */
type PersistentBroker = { persistence: { addSubscriptions(client: Client, subs: { topic: string; qos: 0 | 1 | 2 }[]): Promise<void> } };
type Snapshot = Record<string, { topic: string; qos: 0 | 1 | 2 }[]>;
const MAX_CLIENTS = 256;
const MAX_SUBS = 64;

/**
 * Keeps the subscriptions of persistent (clean=false) sessions across a broker restart, so a
 * QoS 1 decision published before its subscriber has reconnected is queued for it, not lost.
 * Aedes' in-memory persistence forgets them on restart; this file restores them at start.
 */
export function createSessionStore(path: string, logger: Logger) {
  let snapshot: Snapshot = {};
  try {
    snapshot = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  } catch {
    snapshot = {};
  }
  const save = () => {
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot), { mode: 0o600 });
    renameSync(tmp, path);
  };
  return {
    async restore(broker: Aedes): Promise<void> {
      for (const [id, subs] of Object.entries(snapshot).slice(0, MAX_CLIENTS)) {
        const valid = subs.filter((s) => typeof s.topic === "string" && s.qos === 1).slice(0, MAX_SUBS);
        if (valid.length > 0) await (broker as unknown as PersistentBroker).persistence.addSubscriptions({ id } as Client, valid);
      }
      logger.info("restored persistent bus sessions", { clients: Object.keys(snapshot).length });
    },
    onSubscribe(subs: Subscription[], client: Client): void {
      if (client.clean || Object.keys(snapshot).length >= MAX_CLIENTS) return;
      const list = (snapshot[client.id] ??= []);
      for (const s of subs) {
        if (s.qos !== 1 || list.some((x) => x.topic === s.topic) || list.length >= MAX_SUBS) continue;
        list.push({ topic: s.topic, qos: 1 });
      }
      save();
    },
    onUnsubscribe(topics: string[], client: Client): void {
      const list = snapshot[client.id];
      if (!list) return;
      snapshot[client.id] = list.filter((s) => !topics.includes(s.topic));
      save();
    },
  };
}
