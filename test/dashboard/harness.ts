import { join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import * as schema from "../../packages/tables/src/enforcerd.ts";
import * as meshSchema from "../../packages/tables/src/meshd.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import { ApiNode } from "../apid/harness.ts";
import { freePort, ROOT, waitForPort } from "../support/bus-node.ts";
import { TRAPS, type TrapName } from "../trapd/harness.ts";

/** apid + enforcerd (no kernel) + trapd on loopback: a node whose dashboard has data to show. */
export class DashNode extends ApiNode {
  readonly traps = Object.fromEntries(TRAPS.map((t) => [t, freePort()])) as Record<TrapName, number>;

  trapEnv(): Record<string, string> {
    const env: Record<string, string> = { HONEYMESH_TRAPS_BIND: "127.0.0.1", HONEYMESH_TRAPS_AUTH_DELAY_MS: "20" };
    for (const t of TRAPS) env[`HONEYMESH_TRAPS_${t.toUpperCase()}_PORT`] = String(this.traps[t]);
    return env;
  }

  async startAll(): Promise<this> {
    await this.start();
    this.node.spawn([process.execPath, join(ROOT, "services/trapd/src/main.ts")], this.env(this.trapEnv()));
    await waitForPort(this.traps.http, 20_000);
    return this;
  }

  /**
   * Bans written straight into enforcerd's store (as bench/api does): enforcerd is the only writer
   * in production, but apid only reads the file, and thousands of bans through the bus would
   * make the test about enforcerd's speed.
   */
  seedBans(rows: BanRow[]): void {
    const store = openStore({ path: join(this.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") });
    new BanStore(store).putMany(rows);
    store.close();
  }
}

/** Two mesh peers in meshd's store (no meshd runs here), so the mesh page has rows to show. */
export function seedPeers(stateDir: string, now = Date.now()): void {
  const store = openStore({ path: join(stateDir, "meshd.sqlite"), schema: meshSchema, migrationsFolder: join(ROOT, "services/meshd/drizzle") });
  const peer = (id: string, nodeId: string, trust: string, address: string, connected: boolean, lastSeen: number, msgsIn: number, rejected: number, score: number) => ({
    peerId: id, cluster: "default", nodeId, trust, address, connected, firstSeen: now - 86_400_000, lastSeen, msgsIn, msgsOut: Math.round(msgsIn * 0.8), rejected, rateLimited: 0, penalties: rejected ? 1 : 0, score, lastReject: rejected ? "bad signature" : null,
  });
  store.db.insert(meshSchema.peers).values([
    peer("12D3KooWQm3pR8yPZKXo4m9JLpT6a7nYb2sHc5dEfGh1JkLmNoPq", "node-fra-2", "full", "/ip4/198.51.100.20/tcp/7946", true, now, 18_204, 0, 12.5),
    peer("12D3KooWHx8sT1uVwXyZa2Bc3De4Fg5Hi6Jk7Lm8No9Pq1Rs2Tu", "node-sjc-1", "observe", "/ip4/203.0.113.41/tcp/7946", false, now - 380_000, 4_411, 3, -2.1),
  ]).run();
  store.close();
}

/** Varied, realistic bans in documentation and CGNAT ranges. */
export function sampleBans(n: number, localNode: string, now = Date.now()): BanRow[] {
  const reasons = [1, 2, 3, 5, 17, 33, 64, 8, 4, 2];
  const origins = [localNode, localNode, localNode, "node-fra-2", "node-sjc-1"];
  const sources = { 1: "scand", 2: "scand", 3: "scand", 5: "meshd", 17: "scand", 33: "scand", 64: "apid", 8: "apid", 4: "meshd" } as Record<number, string>;
  const evidence = ["ssh: root/123456 (3 attempts)", "SYN scan: 214 ports in 10 s", "http: GET /wp-login.php", "redis: CONFIG SET dir /var/spool/cron", "telnet: admin/admin then busybox wget", "fail2ban sshd jail"];
  return Array.from({ length: n }, (_, i) => {
    const r = reasons[i % reasons.length]!;
    const ttl = [600, 3600, 86_400, 604_800, 0][i % 5]!;
    return {
      address: `100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`,
      kind: "ip",
      reasons: r,
      expiresAt: ttl ? now + ttl * 1000 - (i % 7) * 37_000 : 0,
      createdAt: now - (i % 50) * 60_000,
      updatedAt: now - (i % 50) * 60_000,
      origin: origins[i % origins.length]!,
      source: sources[r] ?? "scand",
      offence: 1 + (i % 4),
      evidence: [{ kind: "other", summary: evidence[i % evidence.length]! }],
      confidence: i % 3 === 2 ? "unverified" : "verified",
    };
  });
}
