import { expect, test } from "bun:test";
import type { BusClient } from "@honeymesh/bus/client";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { NotifyHub } from "./notify-hub.ts";

type Target = FrozenConfig["notify"][string];
const target = (over: Partial<Target>): Target => ({
  type: "webhook", url: "http://127.0.0.1:9/none", secret: "", template: "", events: ["ban"], reasons: [], jails: [], origins: "any",
  rate_per_min: 600, itemise_max: 100, flush_s: 3600, max_queue: 1000, retries: 0, timeout_s: 1,
  smtp_host: "", smtp_port: 587, smtp_tls: "starttls", smtp_user: "", smtp_password: "", smtp_from: "", smtp_to: [], smtp_ca_file: "", ...over,
});

/** A bus that only records handlers, so the test can play messages into them. */
function fakeBus() {
  const handlers = new Map<string, (d: any) => void>();
  const bus = { subscribe: async (producer: string, kind: string, fn: (d: any) => void) => void handlers.set(`${producer}/${kind}`, fn) } as unknown as BusClient;
  return { bus, send: (key: string, d: unknown) => handlers.get(key)!(d) };
}
const ban = (address: string, reasons: number, origin: string, jail?: string) => ({ change: "added", address: { kind: "ip", text: address }, reasons, expires_at: 0, origin, offence: 1, evidence: [{ kind: jail ? "jail" : "trap", summary: "x", ...(jail ? { jail } : {}) }], at: Date.now() });
const health = (mode: string, kernel: string) => ({ service: "enforcerd", node: "n1", pid: 1, status: "ok", degraded: kernel === "unavailable" ? [{ code: "enforcement_unavailable", detail: "no CAP_BPF" }] : [], uptime_s: 1, rss_bytes: 1, version: "x", enforcement: { mode, source: "operator", kernel, interfaces: [] } });

test("bans reach only the targets whose reason, jail and origin filters match; other events by type", async () => {
  const hub = new NotifyHub(
    {
      all: target({ events: ["ban", "session", "mode", "enforcement", "peer_lost"] }),
      trap_local: target({ reasons: ["trap"], origins: "local" }),
      sshd_jail: target({ jails: ["sshd"] }),
      mesh: target({ origins: "mesh" }),
    },
    "n1",
  );
  const { bus, send } = fakeBus();
  await hub.attach(bus);
  send("enforcerd/ban", ban("192.0.2.1", 1, "n1"));
  send("enforcerd/ban", ban("192.0.2.2", 64, "n1", "sshd"));
  send("enforcerd/ban", ban("192.0.2.3", 1, "peer-b"));
  send("enforcerd/ban", { ...ban("192.0.2.4", 1, "n1"), change: "extended" });
  send("trapd/session", { sessions: [{ service: "ssh", src: "192.0.2.9", ended_at: 1, credentials: [{ method: "password", username: "root", password: "x" }], commands: [] }, { service: "http", src: "192.0.2.8", ended_at: 1, credentials: [], commands: [] }] });
  send("enforcerd/health", health("enforce", "active"));
  send("enforcerd/health", health("lockdown", "active"));
  send("enforcerd/health", health("lockdown", "unavailable"));
  send("meshd/metrics", { service: "meshd", peers_connected: 3 });
  send("meshd/metrics", { service: "meshd", peers_connected: 2 });
  const accepted = Object.fromEntries(hub.list().map((t) => [t.name, t.accepted]));
  // all: 3 bans (extended is not news), 1 session with credentials, 1 mode change, 1 enforcement, 1 peer lost.
  expect(accepted).toEqual({ all: 7, trap_local: 1, sshd_jail: 1, mesh: 1 });
  hub.stop();
});

test("a node that starts without enforcement says so at once", async () => {
  const hub = new NotifyHub({ ops: target({ events: ["enforcement"] }) }, "n1");
  const { bus, send } = fakeBus();
  await hub.attach(bus);
  send("enforcerd/health", health("enforce", "unavailable"));
  send("enforcerd/health", health("enforce", "unavailable"));
  send("enforcerd/health", health("enforce", "active"));
  expect(hub.list()[0]!.accepted).toBe(2);
  hub.stop();
});

test("a target missing what its type needs stops apid with the key named", () => {
  expect(() => new NotifyHub({ m: target({ type: "email" }) }, "n1")).toThrow(/notify\.m\.smtp_host/);
  expect(() => new NotifyHub({ h: target({ url: "" }) }, "n1")).toThrow(/notify\.h\.url/);
});
