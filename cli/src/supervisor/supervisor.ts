import { writeFileSync, mkdirSync, rmSync } from "node:fs";
import type { Subprocess } from "bun";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { SERVICES, type ServiceName } from "@honeymesh/schema/services";
import { busSocketPath, splitHostPort } from "@honeymesh/runtime/bus-url";
import type { Logger } from "@honeymesh/telemetry/logger";
import { pidFile, runDir, statusFile } from "../paths.ts";
import { restartDelayMs, STABLE_AFTER_MS } from "./backoff.ts";
import { bundleServices } from "./bundle.ts";
import { spawnService } from "./child.ts";
import { capabilitiesOf, setprivPrefix } from "./privileges.ts";
import { ensureServiceUsers, type ServiceUsers } from "./service-users.ts";
import { prepareStateDir } from "./state-perms.ts";
import { watchHealth } from "./health-watch.ts";
import { writeStatus, type NodeStatus, type ServiceStatus } from "./status-file.ts";

const GRACE_MS = 10_000;

interface Slot {
  proc: Subprocess | null;
  failures: number;
  timer: ReturnType<typeof setTimeout> | null;
  status: ServiceStatus;
}

/**
 * `honeymesh up --foreground`: runs busd and the five services, restarts a crashed one with
 * backoff, records pids, restarts and the last health in `<state>/run/status.json`.
 */
export async function supervise(config: FrozenConfig, nodeId: string, configArgs: string[], logger: Logger): Promise<void> {
  const state = config.node.state_dir;
  // Every file the supervisor and its services create: nothing for "other" (LAYOUT "State dir").
  process.umask(0o027);
  mkdirSync(runDir(state), { recursive: true });
  writeFileSync(pidFile(state), `${process.pid}\n`);
  const entries = await bundleServices(state);
  // As root, each service runs as its own user with only the capabilities it needs; as
  // anyone else, every service runs as that user, as before.
  const users: ServiceUsers | undefined = process.getuid?.() === 0 ? ensureServiceUsers(logger) : undefined;
  if (users) {
    prepareStateDir(state, users, config.enforcer.pin_root, logger);
    logger.info("services run as their own users", { users: Object.fromEntries([...users.byService].map(([n, u]) => [n, u.user])), fallback: users.fallback });
  }
  const prefixOf = (name: ServiceName) => (users ? setprivPrefix(users.byService.get(name)!, capabilitiesOf(name, config)) : []);
  const slots = new Map<ServiceName, Slot>();
  const status: NodeStatus = { node: nodeId, supervisor_pid: process.pid, started_at: Date.now(), updated_at: Date.now(), services: {} as NodeStatus["services"] };
  let stopping = false;
  let dirty = true;
  const flush = () => {
    if (!dirty) return;
    dirty = false;
    status.updated_at = Date.now();
    for (const [name, slot] of slots) status.services[name] = slot.status;
    writeStatus(statusFile(state), status);
  };
  const flushTimer = setInterval(flush, 250);

  const start = (name: ServiceName) => {
    const slot = slots.get(name)!;
    slot.timer = null;
    const proc = spawnService(name, entries.get(name)!, state, configArgs, config.node.memory_hint_mb, prefixOf(name));
    slot.proc = proc;
    Object.assign(slot.status, { pid: proc.pid, state: "starting", started_at: Date.now() });
    dirty = true;
    logger.info("service started", { service: name, pid: proc.pid });
    proc.exited.then((code) => {
      const ranMs = Date.now() - (slot.status.started_at ?? Date.now());
      slot.proc = null;
      const why = proc.signalCode ? `signal ${proc.signalCode}` : `exit ${code}`;
      Object.assign(slot.status, { pid: null, last_exit: why });
      dirty = true;
      if (stopping) {
        slot.status.state = "stopped";
        return;
      }
      slot.failures = ranMs > STABLE_AFTER_MS ? 1 : slot.failures + 1;
      const delay = restartDelayMs(slot.failures);
      slot.status.state = "backoff";
      slot.status.restarts++;
      logger.warn("service exited, restarting", { service: name, why, delay_ms: delay });
      slot.timer = setTimeout(() => start(name), delay);
    });
  };

  for (const name of SERVICES) {
    slots.set(name, { proc: null, failures: 0, timer: null, status: { pid: null, state: "stopped", restarts: 0, started_at: null, last_exit: null, last_health_at: null, health: null, metrics: null } });
  }
  start("busd");
  await waitForBus(config, 10_000);
  const watch = await watchHealth(config, nodeId, logger, (h) => {
    const slot = slots.get(h.service as ServiceName);
    if (!slot || h.pid !== slot.status.pid) return;
    Object.assign(slot.status, { state: "up", last_health_at: Date.now(), health: h });
    dirty = true;
  }, (m) => {
    const slot = slots.get(m.service);
    if (!slot) return;
    slot.status.metrics = m;
    dirty = true;
  }).catch((e) => {
    logger.error("cannot watch health on the bus", { err: e as Error });
    return undefined;
  });

  // Watch before the services start, so their first health report is not missed.
  for (const name of SERVICES) if (name !== "busd") start(name);

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping the node");
    for (const slot of slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      if (slot.proc) slot.status.state = "stopping";
    }
    await watch?.close(true);
    // Services first, the broker last, so their final messages still have somewhere to go.
    await stopAll([...slots.entries()].filter(([n]) => n !== "busd").map(([, s]) => s));
    await stopAll([slots.get("busd")!]);
    dirty = true;
    flush();
    clearInterval(flushTimer);
    rmSync(pidFile(state), { force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
}

async function stopAll(slots: Slot[]): Promise<void> {
  const running = slots.filter((s) => s.proc);
  for (const s of running) s.proc!.kill("SIGTERM");
  const deadline = Date.now() + GRACE_MS;
  await Promise.race([Promise.all(running.map((s) => s.proc?.exited)), Bun.sleep(Math.max(0, deadline - Date.now()))]);
  for (const s of running) if (s.proc && s.proc.exitCode === null && !s.proc.signalCode) s.proc.kill("SIGKILL");
  await Promise.all(running.map((s) => s.proc?.exited));
}

/** Waits until busd accepts connections where the services will connect: its socket, else its TCP port. */
async function waitForBus(config: FrozenConfig, timeoutMs: number): Promise<void> {
  const path = busSocketPath(config);
  const { host, port } = splitHostPort(config.bus.listen);
  const target = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const socket = { data() {} };
      const s = path ? await Bun.connect({ unix: path, socket }) : await Bun.connect({ hostname: target, port, socket });
      s.end();
      return;
    } catch {
      await Bun.sleep(100);
    }
  }
}
