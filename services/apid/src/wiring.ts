import { join } from "node:path";
import { AllowSet } from "@honeymesh/ban/allowlist";
import { Counters } from "@honeymesh/bus/counters";
import { openStore } from "@honeymesh/db/open";
import { systemAllowEntries } from "@honeymesh/net/system-allow";
import type { ServiceContext, ServiceHandle } from "@honeymesh/runtime/service";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import * as apidTables from "@honeymesh/tables/apid";
import * as historyTables from "@honeymesh/tables/apid-history";
import { HistoryRecorder } from "./history/history-recorder.ts";
import { historyRoutes } from "./routes/history.ts";
import { ensureAdminToken } from "./auth/admin-token.ts";
import { loadOrCreateApiKey } from "./auth/api-key.ts";
import { FailLimiter } from "./auth/fail-limiter.ts";
import { TokenStore } from "./auth/token-store.ts";
import { Tokens } from "./auth/tokens.ts";
import { ApidError } from "./errors.ts";
import { createApp } from "./http/app.ts";
import { checkExposure, parseListen } from "./listen.ts";
import { SOCKET_PRINCIPAL } from "./auth/guard.ts";
import { listenLocal } from "./auth/local-socket.ts";
import { ResultWaiter } from "./live/result-waiter.ts";
import { HealthBoard } from "./live/health-board.ts";
import { MetricsBoard } from "./live/metrics-board.ts";
import { LiveFeed } from "./live/live-feed.ts";
import { RecentDeletions } from "./live/recent-deletions.ts";
import { BanReader } from "./read/ban-reader.ts";
import { OwnerDb } from "./read/owner-db.ts";
import { PeerReader, SessionReader } from "./read/owner-queries.ts";
import { allowRoutes } from "./routes/allowlist.ts";
import { banRoutes } from "./routes/bans.ts";
import { crowdsecRoutes } from "./routes/crowdsec.ts";
import { eventRoutes } from "./routes/events.ts";
import { explainRoutes } from "./routes/explain.ts";
import { exportRoutes } from "./routes/export.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { statsRoutes } from "./routes/stats.ts";
import { statusRoutes } from "./routes/status.ts";
import { streamRoutes } from "./routes/stream.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { Controls } from "./write/controls.ts";
import { FeedManager } from "./feeds/feed-manager.ts";
import { FeedResultWaiter } from "./feeds/feed-publisher.ts";
import { FeedStore } from "./feeds/feed-store.ts";
import { feedRoutes } from "./routes/feeds.ts";
import { feedsOutRoutes } from "./routes/feeds-out.ts";
import { NotifyHub } from "./notify/notify-hub.ts";
import { notifyRoutes } from "./routes/notify.ts";
import { ReportHub } from "./notify/report-hub.ts";
import { dashboardRoutes } from "./dashboard/routes.ts";
import { ManualBans } from "./write/manual-bans.ts";
import { taxiiRoutes } from "./taxii/routes.ts";
import { reshapeTaxii } from "./taxii/taxii-error.ts";
import { defaultFiles, Enricher } from "@honeymesh/enrich/enricher";

/** apid's start: stores, bus subscriptions, the HTTP server. main.ts only calls this. */
export async function startApid(ctx: ServiceContext, version: string): Promise<ServiceHandle<"apid">> {
  const { config, bus, logger, nodeId } = ctx;
  const state = config.node.state_dir;
  const api = config.api;
  // Refused before anything is opened: a clear error naming the key, not a half-started node.
  const { hostname, port } = parseListen(api.listen);
  const tls = api.tls_cert && api.tls_key ? { cert: Bun.file(api.tls_cert), key: Bun.file(api.tls_key) } : undefined;
  checkExposure(hostname, Boolean(tls), api.insecure, api.listen);

  const tokenDb = openStore({ path: join(state, "apid.sqlite"), schema: apidTables, migrationsFolder: join(SOURCE_ROOT, "services/apid/drizzle") });
  const tokenStore = new TokenStore(tokenDb);
  const tokens = new Tokens(await loadOrCreateApiKey(state), tokenStore, `honeymesh-apid@${nodeId}`);
  const admin = await ensureAdminToken(state, tokens);
  // The token itself is never logged (logs are shipped and kept); the file is 0600 for apid's user.
  if (admin) logger.warn("admin API token created; read it from the file (0600); the local CLI needs none (it uses the API socket)", { path: admin.path, socket: api.socket });

  const dbError = (e: Error) => logger.warn("cannot read an owner's database", { err: e });
  const enforcerDb = new OwnerDb(join(state, "enforcerd.sqlite"), dbError);
  const trapdDb = new OwnerDb(join(state, "trapd.sqlite"), dbError);
  const meshdDb = new OwnerDb(join(state, "meshd.sqlite"), dbError);
  const reader = new BanReader(enforcerDb);
  const sessions = new SessionReader(trapdDb);
  const peers = new PeerReader(meshdDb);

  // Country/ASN of bans and sessions from databases shipped with the node (opened on first use).
  const enricher = new Enricher(defaultFiles(SOURCE_ROOT));
  const missingDbs = enricher.missing();
  if (missingDbs.length) logger.warn("enrichment databases missing: answers go without country/asn/org", { files: missingDbs.join(", ") });

  const board = new HealthBoard(config.node.health_interval_s);
  const metrics = new MetricsBoard();
  const results = new ResultWaiter();
  const feed = new LiveFeed(api.stream_clients, api.stream_queue);
  const deletions = new RecentDeletions();
  await bus.subscribe("+", "health", (h, meta) => board.accept(meta.producer, h));
  await bus.subscribe("+", "metrics", (m, meta) => void metrics.accept(meta.producer, m));
  await bus.subscribe("enforcerd", "result", (b) => {
    for (const r of b.results) results.accept(r);
  });
  await bus.subscribe("enforcerd", "ban", (c) => {
    // Removals leave tombstones (read from enforcerd's store); expiries and allowlist ends are remembered here.
    if (c.change === "expired" || (c.change === "removed" && c.scope === "local")) deletions.add(c.address, c.at);
    feed.publish("ban", c);
  });
  await bus.subscribe("+", "decision", (d) => feed.publish("decision", d));
  await bus.subscribe("trapd", "hit", (h) => feed.publish("hit", h));
  const historyDb = openStore({ path: join(state, "apid-history.sqlite"), schema: historyTables, migrationsFolder: join(SOURCE_ROOT, "services/apid/drizzle-history") });
  const history = new HistoryRecorder(historyDb, {
    activeBans: () => reader.count(),
    kernel: () => {
      const k = metrics.get("enforcerd")?.kernel;
      return k ? { dropped: k.dropped, passed: k.passed } : undefined;
    },
  });
  await bus.subscribe("enforcerd", "ban", (c) => {
    if (c.change === "added") history.banAdded();
    else if (c.change === "removed" || c.change === "expired") history.banEnded();
  });
  await bus.subscribe("+", "decision", () => history.decision());
  await bus.subscribe("trapd", "hit", () => history.hit());
  await bus.subscribe("trapd", "session", (b) => history.sessions(b.sessions.length));
  const feedResults = new FeedResultWaiter();
  await bus.subscribe("enforcerd", "feedresult", (r) => feedResults.accept(r));
  const notify = new NotifyHub(config.notify, nodeId, config.syslog, version);
  await notify.attach(bus);
  const feeds = new FeedManager({ feeds: config.feeds, store: new FeedStore(join(state, "apid", "feeds")), publish: (u) => bus.publish("feed", u), results: feedResults,
    nodeId,
    logger,
    enforcerUp: () => board.up("enforcerd"),
    // Only what is no longer banned at all: an entry still banned for another reason was only reduced.
    onRemoved: (addresses, at) => {
      for (const a of addresses) if (!reader.get(a)) deletions.add({ kind: a.includes("/") ? "cidr" : "ip", text: a }, at);
    },
  });

  const fixed = new AllowSet();
  fixed.add(systemAllowEntries(), "system");
  fixed.add(config.allow.cidrs, "config");
  const fixedAllow = fixed.list().map((e) => ({ address: e.text, source: e.source }));
  const writes = new ManualBans({ bus, nodeId, results, reader, board, timeoutMs: api.decision_timeout_ms });
  const controls = new Controls({ bus, results, reader, board, fixedAllow, timeoutMs: api.decision_timeout_ms });
  // What `allow ls` lists (fixed, operator, protected) is never reported.
  const reports = new ReportHub(config.report, nodeId, () => controls.listAllow().map((e) => e.address));
  await reports.attach(bus);
  const authFailures = new Counters<string>();
  const requests = new Counters<string>();
  const exports = new Counters<string>();

  const limiter = new FailLimiter(api.auth_failures_per_min, 10_000, api.auth_failures_per_min_loopback);
  const { app, principalOf, seal, handleLocal } = createApp({ tokens, limiter, onFailure: (k) => authFailures.inc(k), logger, requests, reshape: reshapeTaxii });
  const tokenDead = (id: string) => id !== SOCKET_PRINCIPAL.id && !tokenStore.live(id);
  app
    .use(statusRoutes(board, metrics, reader, nodeId, version, () => ({ ...enricher.status(), missing: enricher.missing() })))
    .use(banRoutes(reader, writes, config.bans.default_ttl_s, enricher))
    .use(allowRoutes(controls, { v4: api.allow_min_prefix_v4, v6: api.allow_min_prefix_v6 }))
    .use(explainRoutes({ reader, sessions, allow: () => controls.listAllow(), nodeId, enricher }))
    .use(eventRoutes(sessions, peers, enricher))
    .use(exportRoutes(reader, sessions, (kind, n) => exports.inc(kind, n)))
    .use(statsRoutes(reader, sessions, peers))
    .use(streamRoutes(feed, principalOf))
    .use(metricsRoutes(board, metrics, reader, sessions, feed, { requests, authFailures, busRejected: () => bus.rejected.total() }))
    .use(tokenRoutes(tokens, tokenStore, (id) => feed.closeWhere((owner) => owner === id)))
    .use(crowdsecRoutes(reader, deletions, principalOf))
    .use(dashboardRoutes(principalOf, nodeId))
    .use(feedRoutes(feeds))
    .use(feedsOutRoutes(reader, nodeId))
    .use(historyRoutes(history))
    .use(notifyRoutes(notify, reports))
    .use(taxiiRoutes(enforcerDb, nodeId, api.max_body_bytes));

  seal();
  // A token that expires while its stream is open: the stream ends within a second.
  const expirySweep = setInterval(() => feed.closeWhere(tokenDead), 1000);
  expirySweep.unref?.();

  const local = await listenLocal(api.socket, api.max_body_bytes, handleLocal);
  try {
    // idleTimeout (s) above the stream's 15 s keep-alive comments, so live streams stay open.
    app.listen({ hostname, port, tls, maxRequestBodySize: api.max_body_bytes, idleTimeout: 60 });
  } catch (e) {
    clearInterval(expirySweep);
    local.stop(true);
    throw new ApidError("UNAVAILABLE", `[api] listen = "${api.listen}": cannot listen: ${(e as Error).message}`);
  }
  logger.info("API listening", { listen: api.listen, tls: Boolean(tls), socket: api.socket });
  feeds.start();

  return {
    metrics: () => ({
      requests: requests.total(),
      auth_failures: authFailures.total(),
      stream_clients: feed.size,
      stream_dropped: feed.counters.get("dropped"),
      exported_rows: exports.total(),
      tokens: tokenStore.list().length,
    }),
    async stop() {
      feeds.stop();
      notify.stop();
      reports.stop();
      history.stop();
      historyDb.close();
      clearInterval(expirySweep);
      feed.close();
      local.stop(true);
      await app.stop(true);
      enforcerDb.close();
      trapdDb.close();
      meshdDb.close();
      tokenDb.close();
    },
  };
}
