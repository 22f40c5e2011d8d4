import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { runService } from "@honeymesh/runtime/service";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { ControlApplier } from "./control/apply-control.ts";
import { systemAllowEntries } from "@honeymesh/net/system-allow";
import { DecisionApplier } from "./decisions/apply-decision.ts";
import { DecisionBatcher } from "./decisions/decision-batcher.ts";
import { FeedApplier } from "./feeds/feed-applier.ts";
import { FeedRows } from "./feeds/feed-rows.ts";
import { enforcerHealth, enforcerMetrics } from "./health.ts";
import { enforcementFailure, fastPathEnabled, setUpKernel } from "./kernel-setup.ts";
import { reapOnce } from "./reaper.ts";
import type { Context } from "@opentelemetry/api";
import { KernelBanRecorder } from "./kernel-ban-recorder.ts";
import { KernelBanSweep } from "./kernel-ban-sweep.ts";
import { syncProtected } from "./kernel/protect-sync.ts";
import type { ScanEvent } from "./kernel/scan-event.ts";
import { reconcile } from "./reconcile.ts";
import { resultSender } from "./result-sender.ts";
import { relayGuardEvents } from "./guard-relay.ts";
import { relayScanEvents } from "./scan-relay.ts";
import { BanStore } from "./store/ban-store.ts";
import { nodeSources } from "./protected/node-sources.ts";
import { parseAddress } from "@honeymesh/net/address";
import { ProtectedSet } from "./protected/protected-set.ts";
import * as schema from "@honeymesh/tables/enforcerd";

await runService("enforcerd", {
  async start({ config, bus, logger, tracer, nodeId }) {
    const store = openStore({ path: join(config.node.state_dir, "enforcerd.sqlite"), schema, migrationsFolder: join(SOURCE_ROOT, "services/enforcerd/drizzle") });
    const bans = new BanStore(store);
    const allow = new AllowSet();
    for (const bad of [...allow.add(systemAllowEntries(), "system"), ...allow.add(config.allow.cidrs, "config")]) logger.warn("allowlist entry ignored", bad);
    allow.add(bans.allowEntries(), "operator");
    const k = setUpKernel(config, allow, logger);
    const fatal = enforcementFailure(config.enforcer.mode, k);
    if (fatal) {
      logger.error("cannot enforce, exiting", { reason: fatal });
      k.detach();
      k.kernel?.close();
      store.close();
      process.exit(1);
    }
    const reconciled = k.kernel ? reconcile(bans, k.kernel) : undefined;
    if (reconciled) logger.info("reconciled kernel maps with the ban store", { ...reconciled, adopt: undefined });

    // Sessions: before an unverified ban when older than 250 ms, and periodically (below); files every 30 s.
    const sources = nodeSources(config, (text) => {
      const p = parseAddress(text);
      return p.ok && allow.covers(p.value);
    });
    const protect = new ProtectedSet(sources, { sessionMaxAgeMs: 1_000, onDemandMaxAgeMs: 250, fixedMaxAgeMs: 30_000, onChange: (entries) => {
      bans.protectedPut(entries, Date.now());
      // The kernel fast path checks the same set before it bans (hm_protect_v4/v6).
      if (k.kernel) syncProtected(k.kernel, entries);
    } });
    protect.refresh(performance.now(), true);
    // A decision that sessions can refuse (unverified) re-reads them itself when older than 250 ms;
    // the periodic re-read keeps the kernel's copy current for the fast path (every second when it
    // is on) and `allow ls` (every 10 s otherwise: reading /proc/net/tcp each second was half of
    // enforcerd's idle CPU, bench/footprint).
    const protectTimer = setInterval(() => protect.refresh(), fastPathEnabled(config) ? 1_000 : 10_000);
    const results = resultSender(bus);
    const applier = new DecisionApplier({
      store: bans,
      kernel: () => k.kernel,
      allow,
      publish: (change, ctx) => bus.publish("ban", change, ctx),
      results,
      maxTtlS: config.bans.max_ttl_s,
      protect,
      unverified: { synOnly: config.scan.syn_only, ttlS: config.scan.unverified_ttl_s },
      tracer,
      logger,
    });
    const recorder = new KernelBanRecorder({ store: bans, kernel: () => k.kernel, apply: (items) => applier.applyBatch(items, false), nodeId, logger });
    if (reconciled?.adopt.length) await recorder.record(reconciled.adopt);
    const control = new ControlApplier(bans, allow, () => k.kernel, { mode: config.enforcer.mode, modeSource: "config" }, logger, (c) => void bus.publish("ban", c).catch(() => {}));
    await bus.subscribe("meshd", "peers", (p) => {
      sources.setPeers(p.addresses);
      protect.refresh(performance.now(), true);
    });
    await bus.subscribe("apid", "allow", (c) => results([control.allowChange(c)]));
    await bus.subscribe("apid", "mode", (m) => results([control.modeChange(m)]));
    const batcher = new DecisionBatcher(async (items) => void (await applier.applyBatch(items)), logger);
    for (const producer of ["scand", "apid", "meshd"] as const) await bus.subscribe(producer, "decision", (d, meta) => batcher.push(d, meta.ctx));
    const feeds = new FeedApplier(new FeedRows(store.sqlite), allow, () => k.kernel, protect);
    await bus.subscribe("apid", "feed", async (u) => {
      const r = feeds.accept(u);
      if (r) await bus.publish("feedresult", r);
    });

    const reaper = setInterval(() => {
      reapOnce(bans, k.kernel, (c) => void bus.publish("ban", c).catch(() => {}), logger);
    }, config.enforcer.reap_interval_s * 1000);
    const fastTtlMs = config.scan.unverified_ttl_s * 1000;
    // Fast-path bans whose ring-buffer event was lost are recorded while running, not at the next start.
    const sweep = new KernelBanSweep({ kernel: () => k.kernel, store: bans, record: (b) => recorder.record(b), lost: () => Number(k.kernel?.counters().ringbufFull ?? 0) + recorder.counts.get("failed"), fastTtlMs });
    const sweepTimer = k.kernel && fastPathEnabled(config) ? setInterval(() => void sweep.tick().catch((e) => logger.warn("fast-path sweep failed", { err: e as Error })), 2_000) : undefined;
    const onKernelBan = (ev: ScanEvent, ctx: Context) =>
      recorder.recordSoon({ address: ev.src, atMs: ev.atMs, expiresAtMs: ev.atMs + fastTtlMs, ports: ev.ports, portCount: ev.portCount, windowS: config.scan.window_s }, ctx);
    const guardRelay = k.kernel && k.guard === "on" ? relayGuardEvents(k.kernel.guardEventsFd, (o, ctx) => bus.publish("guard", o, ctx), logger, tracer) : undefined;
    const relay = k.kernel ? relayScanEvents(k.kernel.eventsFd, config.scan.window_s, (o, ctx) => bus.publish("syn", o, ctx), logger, tracer, onKernelBan) : undefined;

    return {
      health: () => enforcerHealth(k, control),
      metrics: () => enforcerMetrics(k, bans, applier, control, batcher, reconciled, sweepTimer ? { recorder, sweep } : undefined),
      async stop() {
        clearInterval(reaper);
        clearInterval(sweepTimer);
        clearInterval(protectTimer);
        protect.close();
        await relay?.stop();
        await guardRelay?.stop();
        if (!config.enforcer.keep_on_stop) k.detach();
        k.kernel?.close();
        store.close();
      },
    };
  },
});
