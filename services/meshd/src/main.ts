import { openStore } from "@honeymesh/db/open";
import { runService } from "@honeymesh/runtime/service";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import { join } from "node:path";
import { meshSettings } from "./config/mesh-settings.ts";
import { meshHealth, meshMetrics } from "./health.ts";
import { readClusterKey } from "./keys/cluster-key.ts";
import { loadIdentity } from "./keys/identity.ts";
import { MeshCluster } from "./net/cluster.ts";
import { writeTrafficOnSignal } from "./net/traffic-file.ts";
import { MeshAllowlist } from "./policy/allowlist.ts";
import { TrustMap } from "./policy/trust.ts";
import { shareLocalBans } from "./share.ts";
import { FactTable, PeerBook } from "./store/peer-book.ts";
import * as schema from "@honeymesh/tables/meshd";

await runService("meshd", {
  async start({ config, nodeId, bus, logger, tracer }) {
    const mesh = meshSettings(config);
    const store = openStore({ path: mesh.storePath, schema, migrationsFolder: join(SOURCE_ROOT, "services/meshd/drizzle") });
    const book = new PeerBook(store);
    const flush = setInterval(() => book.flush(), 2_000);
    if (mesh.clusters.length === 0) {
      logger.warn("mesh is off: no cluster key configured (mesh.cluster_key_file)");
      return { health: () => meshHealth([]), metrics: () => meshMetrics([], book), stop: async () => (clearInterval(flush), store.close()) };
    }
    const identity = await loadIdentity(mesh.identityDir);
    const allow = new MeshAllowlist(config.allow.cidrs);
    // enforcerd keeps the peers in the node's protected set (no automatic decision bans them).
    const publishPeers = (addresses: string[]) => void bus.publish("peers", { addresses: addresses.slice(0, 1024), at: Date.now() }).catch((err) => logger.warn("peers publish failed", { err }));
    allow.onPeers = publishPeers;
    // Also every 30 s, so an enforcerd that restarted learns them without waiting for a change.
    const peersTimer = setInterval(() => publishPeers(allow.peers()), 30_000);
    for (const bad of allow.ignored) logger.warn("allowlist entry ignored by meshd", { entry: bad });
    const trust = new TrustMap(mesh.defaultTrust, mesh.peerTrust);
    const clusters: MeshCluster[] = [];
    // Before the clusters start: an early SIGUSR2 would otherwise end meshd (its default action).
    const stopTraffic = writeTrafficOnSignal(mesh.identityDir, () => clusters.map((c) => [c.name, c.meter.report()]));
    for (const c of mesh.clusters) {
      const cluster = new MeshCluster({
        cluster: c,
        mesh,
        identity,
        nodeId,
        psk: readClusterKey(c.keyFile),
        trust,
        allow,
        book,
        facts: new FactTable(store, c.name),
        emit: (d, ctx) => bus.publish("decision", d, ctx),
        tracer,
        logger,
      });
      clusters.push(await cluster.start());
    }
    await bus.subscribe("enforcerd", "ban", shareLocalBans(clusters, nodeId, mesh.shareMask, tracer, logger));
    return {
      health: () => meshHealth(clusters),
      metrics: () => meshMetrics(clusters, book),
      async stop() {
        clearInterval(peersTimer);
        stopTraffic();
        clearInterval(flush);
        await Promise.all(clusters.map((c) => c.stop()));
        book.flush();
        store.close();
      },
    };
  },
});
