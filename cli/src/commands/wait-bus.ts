import { connect } from "node:net";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { busSocketPath } from "@honeymesh/runtime/bus-url";

/** One connection attempt to [bus] listen ("host:port" or a Unix socket path). */
function tryConnect(listen: string, timeoutMs: number): Promise<boolean> {
  return new Promise((done) => {
    const unix = listen.startsWith("/") ? listen : listen.startsWith("unix:") ? listen.slice(5) : undefined;
    const colon = listen.lastIndexOf(":");
    const host = listen.slice(0, colon).replace(/^\[|\]$/g, "");
    const port = Number(listen.slice(colon + 1));
    const s = unix ? connect({ path: unix }) : connect({ host: host === "0.0.0.0" ? "127.0.0.1" : host, port });
    const finish = (ok: boolean) => {
      clearTimeout(t);
      s.destroy();
      done(ok);
    };
    const t = setTimeout(() => finish(false), timeoutMs);
    s.once("connect", () => finish(true));
    s.once("error", () => finish(false));
  });
}

/**
 * `honeymesh wait-bus`: exits 0 once the broker accepts connections, 1 after the timeout.
 * systemd units run it as ExecStartPre so that a service starts when the bus is ready (busd is
 * Type=exec: After= orders the fork, not the listen).
 */
export async function waitBusCommand(config: FrozenConfig, timeoutS: number, address = "bus"): Promise<number> {
  // `--address api` probes [api] listen instead (compose's healthcheck for apid), or any host:port.
  // `bus` is where the services connect: the broker's Unix socket when there is one, else TCP.
  const target = address === "bus" ? (busSocketPath(config) ?? config.bus.listen) : address === "api" ? config.api.listen : address;
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    if (await tryConnect(target, 1000)) return 0;
    if (Date.now() > deadline) {
      process.stderr.write(`honeymesh: ${target} (${address}) did not accept a connection within ${timeoutS} s\n`);
      return 1;
    }
    await Bun.sleep(200);
  }
}
