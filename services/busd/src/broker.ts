import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { Aedes } from "aedes";
import { KeyRing } from "@honeymesh/bus/key-ring";
import { readJwks } from "@honeymesh/keys/keystore";
import { splitHostPort } from "@honeymesh/runtime/bus-url";
import type { Logger } from "@honeymesh/telemetry/logger";
import { createAccess } from "./access.ts";
import { createSessionStore } from "./session-store.ts";

export interface Broker {
  refused: ReturnType<typeof createAccess>["refused"];
  clients(): number;
  close(): Promise<void>;
}

/** The node's Aedes broker on `[bus] listen`, with JWT auth, the publish ACL and kept sessions. */
export async function startBroker(listen: string, stateDir: string, logger: Logger): Promise<Broker> {
  const ring = new KeyRing(() => readJwks(stateDir));
  await ring.reload();
  const access = createAccess(ring, logger);
  const sessions = createSessionStore(join(stateDir, "bus-sessions.json"), logger);
  const broker = await Aedes.createBroker({
    authenticate: access.authenticate,
    authorizePublish: access.authorizePublish,
    authorizeSubscribe: access.authorizeSubscribe,
    // Bounds what one hostile client can make the broker hold (MQTT 3.1.1 §3.3 / aedes options).
    maxClientsIdLength: 128,
    concurrency: 1000,
    queueLimit: 10_000,
  });
  await sessions.restore(broker);
  broker.on("subscribe", (subs, client) => client && sessions.onSubscribe(subs, client));
  broker.on("unsubscribe", (topics, client) => client && sessions.onUnsubscribe(topics, client));
  broker.on("clientError", (client, err) => logger.debug("bus client error", { client: client.id?.slice(0, 64), err }));

  const server: Server = createServer((socket) => {
    // Small messages in quick succession: Nagle plus delayed ACKs would add up to 40 ms a hop.
    socket.setNoDelay(true);
    broker.handle(socket);
  });
  server.maxConnections = 1024;
  const { host, port } = splitHostPort(listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  logger.info("bus broker listening", { listen });
  return {
    refused: access.refused,
    clients: () => broker.connectedClients,
    close: async () => {
      access.drain();
      // Let deliveries already in flight reach their subscribers before the connections go.
      await Bun.sleep(200);
      // The broker closes every client connection, which lets the server's close complete.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
