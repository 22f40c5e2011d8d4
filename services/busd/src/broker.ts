import { rmSync } from "node:fs";
import type { Server, Socket } from "node:net";
import { join } from "node:path";
import { Aedes } from "aedes";
import { writeToStream } from "mqtt-packet";
import { KeyRing } from "@honeymesh/bus/key-ring";
import { readJwks } from "@honeymesh/keys/keystore";
import type { Logger } from "@honeymesh/telemetry/logger";
import { createAccess } from "./access.ts";
import { createAdmission, DEFAULT_LIMITS, type AdmissionLimits, type Transport } from "./admission.ts";
import { listenTcp, listenUnix } from "./listeners.ts";
import { createSessionStore } from "./session-store.ts";

export interface Broker {
  refused: ReturnType<typeof createAccess>["refused"];
  admission: ReturnType<typeof createAdmission>;
  clients(): number;
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** TCP host:port, or "" for none. */
  listen: string;
  /** Unix socket path, or undefined for none. */
  socket: string | undefined;
  stateDir: string;
  limits?: AdmissionLimits;
}

// Aedes writes packets with mqtt-packet, which on its first write fills a cache of 65 536 two-byte
// Buffers for packet ids and lengths: ~8 MB of busd's idle RSS (bench/footprint). Without it each
// such number gets a fresh 2-byte buffer, which at the bus's message rates costs nothing measurable.
writeToStream.cacheNumbers = false;

/** The node's Aedes broker on `[bus] socket` and `[bus] listen`, with JWT auth, the publish ACL, admission limits and kept sessions. */
export async function startBroker(o: BrokerOptions, logger: Logger): Promise<Broker> {
  if (o.listen === "" && !o.socket) throw new Error("[bus] listen and [bus] socket are both empty: the broker would have no listener");
  const ring = new KeyRing(() => readJwks(o.stateDir));
  await ring.reload();
  const access = createAccess(ring, logger);
  const admission = createAdmission(logger, o.limits ?? DEFAULT_LIMITS);
  const sessions = createSessionStore(join(o.stateDir, "bus-sessions.json"), logger);
  const broker = await Aedes.createBroker({
    authenticate: access.authenticate,
    authorizePublish: access.authorizePublish,
    authorizeSubscribe: access.authorizeSubscribe,
    // Bounds what one hostile client can make the broker hold (MQTT 3.1.1 §3.3 / aedes options).
    maxClientsIdLength: 128,
    concurrency: 1000,
    queueLimit: 10_000,
    // Aedes' own bound on a silent connection; admission closes it earlier and counts it.
    connectTimeout: (o.limits ?? DEFAULT_LIMITS).connectTimeoutMs * 2,
  });
  await sessions.restore(broker);
  broker.on("subscribe", (subs, client) => client && sessions.onSubscribe(subs, client));
  broker.on("unsubscribe", (topics, client) => client && sessions.onUnsubscribe(topics, client));
  broker.on("clientError", (client, err) => logger.debug("bus client error", { client: client.id?.slice(0, 64), err }));
  // Emitted once authenticate() accepted the client: from now on it holds a served slot.
  broker.on("client", (client) => admission.authenticated((client as unknown as { conn: unknown }).conn));

  const handle = (transport: Transport) => (socket: Socket) => {
    if (!admission.admit(socket, transport)) return;
    // Small messages in quick succession: Nagle plus delayed ACKs would add up to 40 ms a hop.
    if (transport === "tcp") socket.setNoDelay(true);
    broker.handle(socket);
  };
  const servers: Server[] = [];
  try {
    if (o.socket) servers.push(await listenUnix(o.socket, handle("unix")));
    if (o.listen !== "") servers.push(await listenTcp(o.listen, handle("tcp")));
  } catch (e) {
    for (const s of servers) s.close();
    throw e;
  }
  logger.info("bus broker listening", { listen: o.listen || null, socket: o.socket ?? null });
  return {
    refused: access.refused,
    admission,
    clients: () => broker.connectedClients,
    close: async () => {
      access.drain();
      // Let deliveries already in flight reach their subscribers before the connections go.
      await Bun.sleep(200);
      // The broker closes every client connection, which lets the servers' close complete.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      if (o.socket) rmSync(o.socket, { force: true });
    },
  };
}
