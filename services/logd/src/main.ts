import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { runService } from "@honeymesh/runtime/service";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import * as schema from "@honeymesh/tables/logd";
import { logdHealth, logdMetrics } from "./health.ts";
import { FailureOutbox } from "./failure-outbox.ts";
import { PeerGate } from "@honeymesh/bus/peer-gate";
import type { JailFired } from "./jail.ts";
import { JailSet } from "./jail-set.ts";
import { LogdStore } from "./logd-store.ts";

const POLL_MS = 250;
const RESCAN_MS = 10_000;

await runService("logd", {
  async start({ config, bus, logger }) {
    const store = new LogdStore(openStore({ path: join(config.node.state_dir, "logd.sqlite"), schema, migrationsFolder: join(SOURCE_ROOT, "services/logd/drizzle") }));
    const outbox: FailureOutbox<JailFired> = new FailureOutbox((f: JailFired) =>
      bus.publish("failure", { jail: f.jail, address: f.address, count: f.count, window_s: f.window_s, bantime_s: f.bantime_s, first_at: f.first_at, last_at: f.last_at, summary: f.summary }),
      (e) => logger.warn("failure not published, kept for a retry", { err: e, queued: outbox.queued }),
    );
    // scand reports health only after it subscribed to our failures (see failure-outbox.ts).
    (await PeerGate.watch(bus, "scand")).whenOpen(() => outbox.consumerUp());
    const jails = new JailSet(
      config,
      store,
      (f) => outbox.push(f),
      Date.now,
      "journalctl",
      join(SOURCE_ROOT, "packages/f2b-filter/filter.d"),
    );
    for (const e of jails.errors) logger.error("jail not started", { err: e });
    jails.start();
    const poll = setInterval(() => {
      try {
        jails.step();
        void outbox.flush();
      } catch (e) {
        logger.error("poll failed", { err: e as Error });
      }
    }, POLL_MS);
    const rescan = setInterval(() => {
      jails.rescan();
      jails.sweep();
    }, RESCAN_MS);
    logger.info("jails running", { jails: jails.metrics().map((j) => j.jail) });
    return {
      health: () => logdHealth(jails),
      metrics: () => logdMetrics(jails, outbox.published, outbox.failed + outbox.dropped),
      async stop() {
        clearInterval(poll);
        clearInterval(rescan);
        jails.step();
        jails.stop();
        store.close();
      },
    };
  },
});
