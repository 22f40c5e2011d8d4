// Worker thread: re-reads the kernel's TCP tables (live-sessions.ts) every `periodMs` for as long
// as the main thread keeps it active, and posts each snapshot. Reading /proc/net/tcp walks the
// kernel's whole established hash table, which is sized from the machine's RAM, not from its
// sockets: 6.5 ms here for two near-empty files. Done on enforcerd's main thread before each
// unverified decision, that was most of the userspace path's latency (bench/latency).
import { readLiveSessions } from "./live-sessions.ts";

declare const self: Worker;

type Msg = { trapPorts: number[]; periodMs: number } | { activeUntilWallMs: number };

let ports = new Set<number>();
let periodMs = 200;
let activeUntil = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

const tick = () => {
  timer = undefined;
  if (Date.now() >= activeUntil) return;
  const startedWallMs = Date.now();
  const addresses = [...readLiveSessions(ports)];
  postMessage({ addresses, startedWallMs });
  timer = setTimeout(tick, Math.max(0, periodMs - (Date.now() - startedWallMs)));
};

self.onmessage = (e: MessageEvent<Msg>) => {
  if ("trapPorts" in e.data) {
    ports = new Set(e.data.trapPorts);
    periodMs = e.data.periodMs;
    return;
  }
  activeUntil = e.data.activeUntilWallMs;
  if (!timer) tick();
};
