import { join } from "node:path";
import { context } from "@opentelemetry/api";
import { openStore } from "@honeymesh/db/open";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { systemAllowEntries } from "@honeymesh/net/system-allow";
import { PeerGate } from "@honeymesh/bus/peer-gate";
import { runService } from "@honeymesh/runtime/service";
import { SCAN_DECISION_OUTCOMES, SCAN_SOURCE_OUTCOMES } from "@honeymesh/schema/metrics";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import * as schema from "@honeymesh/tables/scand";
import { ActiveBans } from "./active-bans.ts";
import { Correlator } from "./correlator.ts";
import { DecisionQueue } from "./decision-queue.ts";
import { OffenceHistory } from "./offence-history.ts";
import { SubnetAggregator } from "./rules/subnet.ts";

await runService("scand", {
  async start({ config, bus, nodeId, tracer, logger }) {
    const { scan, bans } = config;
    const store = openStore({ path: join(config.node.state_dir, "scand.sqlite"), schema, migrationsFolder: join(SOURCE_ROOT, "services/scand/drizzle") });
    const allow = new AllowSet();
    for (const bad of [...allow.add(systemAllowEntries(), "system"), ...allow.add(config.allow.cidrs, "config")]) logger.warn("allowlist entry ignored", bad);
    const history = new OffenceHistory(store);
    // Decisions wait (in the bounded queue) until enforcerd is heard: one published before it has
    // subscribed would be lost at boot.
    const enforcerd = await PeerGate.watch(bus, "enforcerd", 2 * config.node.health_interval_s * 1000 + 1000);
    const queue = new DecisionQueue(scan.decisions_per_s, scan.decision_queue, (d, ctx) => bus.publish("decision", d, ctx), () => enforcerd.open);
    enforcerd.whenOpen(() => queue.release());
    const correlator = new Correlator(
      {
        nodeId,
        portsThreshold: scan.ports_threshold,
        windowMs: scan.window_s * 1000,
        trapTouch: scan.trap_touch,
        trapTouchDelayMs: scan.trap_touch_delay_s * 1000,
        lowSlowPorts: scan.low_slow_ports,
        lowSlowWindowMs: scan.low_slow_window_s * 1000,
        bruteforceAttempts: scan.bruteforce_attempts,
        bruteforceWindowMs: scan.bruteforce_window_s * 1000,
        entropyThreshold: scan.entropy_threshold,
        entropyMinBytes: scan.entropy_min_bytes,
        maxSources: scan.max_sources,
        ttl: { baseS: bans.default_ttl_s, factor: bans.escalation, maxS: bans.max_ttl_s, jitter: bans.jitter },
        synOnly: scan.syn_only,
        unverifiedTtlS: scan.unverified_ttl_s,
      },
      {
        allow,
        active: new ActiveBans(scan.max_sources),
        history,
        subnets: new SubnetAggregator({ v4: scan.subnet_v4, v4Prefix: scan.subnet_v4_prefix, v6: scan.subnet_v6, v6Prefix: scan.subnet_v6_prefix, threshold: scan.subnet_threshold, windowMs: scan.subnet_window_s * 1000 }),
        queue,
        tracer,
      },
    );
    await bus.subscribe("trapd", "hit", (h, m) => correlator.onHit(h, m.ctx));
    await bus.subscribe("trapd", "session", (b, m) => b.sessions.forEach((s) => correlator.onSession(s, m.ctx)));
    await bus.subscribe("enforcerd", "syn", (o, m) => correlator.onSyn(o, m.ctx));
    await bus.subscribe("logd", "failure", (f, m) => correlator.onJail(f, m.ctx));
    await bus.subscribe("enforcerd", "guard", (o, m) => correlator.onGuard(o, m.ctx));
    await bus.subscribe("enforcerd", "ban", (c) => correlator.onBan(c, context.active()));
    return {
      metrics: () => ({
        tracked_sources: correlator.tracked,
        queue_depth: queue.depth,
        sources: correlator.counters.pick(SCAN_SOURCE_OUTCOMES),
        decisions: queue.counters.pick(SCAN_DECISION_OUTCOMES),
      }),
      async stop() {
        enforcerd.stop();
        queue.stop();
        correlator.stop();
        history.close();
        store.close();
      },
    };
  },
});
