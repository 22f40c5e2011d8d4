/**
 * The baseline: Debian xdp-tools' xdp-filter on the victim veth. Its maps
 * are pinned by xdp-filter itself under /sys/fs/bpf/xdp-filter and hold at
 * most 10,000 addresses (filter_ipv4 max_entries), so larger sets are n/a.
 */
import { existsSync, readdirSync, rmdirSync } from "node:fs";
import { BpfMap } from "@honeymesh/bpf/map";
import { updateBatch } from "@honeymesh/bpf/map-batch";
import { progFdById } from "@honeymesh/bpf/prog-info";
import type { NetnsPair } from "../../test/support/netns.ts";
import { addrText, packedKeys } from "./addresses.ts";

const PIN_DIR = "/sys/fs/bpf/xdp-filter";

export interface XdpFilter {
  progFd: number;
  capacity: number;
  /** Adds addresses [from, to) in src mode. */
  fill(from: number, to: number): Promise<void>;
  unload(): Promise<void>;
}

export async function loadXdpFilter(pair: NetnsPair): Promise<XdpFilter> {
  const hadXdpDir = existsSync("/sys/fs/bpf/xdp");
  if (existsSync(PIN_DIR)) throw new Error(`${PIN_DIR} already exists: another xdp-filter is loaded; not touching it`);
  const ifname = pair.victim.ifname;
  const load = await pair.run("victim", ["xdp-filter", "load", "-m", "native", "-f", "ipv4,ipv6", ifname]);
  if (load.code !== 0) throw new Error(`xdp-filter load: ${load.stderr}`);
  const net = JSON.parse((await pair.run("victim", ["bpftool", "-j", "net", "show", "dev", ifname])).stdout);
  const progId: number = net[0].xdp[0].id;
  const map = BpfMap.openPinned(`${PIN_DIR}/filter_ipv4`);
  // The first 1,000 go in through xdp-filter's own CLI (~10 ms each);
  // the rest are written with the value it stores for "src" mode.
  const cliLimit = 1000;
  let srcValue: Uint8Array | undefined;
  return {
    progFd: progFdById(progId),
    capacity: map.info.maxEntries,
    async fill(from, to) {
      // Sequential: xdp-filter serialises its CLI with a lock file.
      for (let i = from; i < Math.min(to, cliLimit); i++) {
        const r = await pair.run("victim", ["xdp-filter", "ip", "-m", "src", addrText(i)]);
        if (r.code !== 0) throw new Error(`xdp-filter ip ${addrText(i)}: ${r.stderr}`);
      }
      if (to <= cliLimit) return;
      srcValue ??= map.lookup(packedKeys(0, 1));
      if (!srcValue) throw new Error("xdp-filter did not store 11.0.0.0");
      const start = Math.max(from, cliLimit);
      const values = new Uint8Array((to - start) * map.valueBytes);
      for (let i = 0; i < to - start; i++) values.set(srcValue, i * map.valueBytes);
      updateBatch(map, packedKeys(start, to), values, to - start);
    },
    async unload() {
      map.close();
      await pair.run("victim", ["xdp-filter", "unload", ifname]);
      if (existsSync(PIN_DIR)) await pair.run("victim", ["xdp-filter", "unload", "--all"]);
      if (!hadXdpDir && existsSync("/sys/fs/bpf/xdp") && readdirSync("/sys/fs/bpf/xdp").length === 0) rmdirSync("/sys/fs/bpf/xdp");
    },
  };
}
