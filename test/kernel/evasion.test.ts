/**
 * Scan-tracking evasion via BPF_PROG_TEST_RUN (issue 12): SYNs whose TCP
 * header is split across IPv4 fragments (RFC 1858 / RFC 3128), hidden behind
 * more IPv6 extension headers than the parser walks, or cut from an IPv6
 * first fragment (RFC 7112). From a non-allowlisted source they must be
 * dropped in enforce mode (would-drops in test mode), counted in their slot
 * and charged to the source's scan tracking; allowlisted sources still pass,
 * banned ones are still dropped for their ban.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { MAX_EXTHDR, MAX_VLAN } from "../../services/enforcerd/src/kernel/layout.ts";
import type { ScanEvent } from "../../services/enforcerd/src/kernel/scan-event.ts";
import { kernelSkipReason } from "./harness.ts";
import { openTestProgram, XDP_DROP, XDP_PASS, type TestProgram } from "./test-program.ts";
import { eth, ipv4, ipv6, tcpSyn, tcpSynWithOptions, optsBody, fragBody, frame, v6bytes, ETH_IP, ETH_IPV6, VLAN_8021Q, IP_MF } from "./frames.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/evasion: ${skip}`);

const DST4 = [10, 0, 0, 1];
const DST6 = v6bytes([0xfd00, 0, 0, 0, 0, 0, 0, 1]);
const PORTS = [22, 80, 443];

/** First fragment (MF set, offset 0) carrying only the first `n` bytes of the TCP header, like `hping3 -f` (n = 16). */
const tinyV4 = (src: number[], port: number, n = 16) => frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSyn(port).slice(0, n), { fragOff: IP_MF }));
/** TCP SYN behind one destination-options header more than the parser walks. */
const longChainV6 = (src: number[], port: number) =>
  frame(eth(ETH_IPV6), ipv6(src, DST6, 6, tcpSyn(port), Array.from({ length: MAX_EXTHDR + 1 }, () => ({ type: 60, body: optsBody(0) }))));
/** IPv6 first fragment (offset 0, M set) whose TCP header is cut after `n` bytes. */
const cutFirstFragV6 = (src: number[], port: number, n = 8) => frame(eth(ETH_IPV6), ipv6(src, DST6, 6, tcpSyn(port).slice(0, n), [{ type: 44, body: fragBody(0, true) }]));

describe.skipIf(!!skip)("XDP: scan tracking that fragments and header chains cannot evade", () => {
  let tp: TestProgram;
  let k: KernelEnforcer;
  const run = (f: Uint8Array) => tp.run(f);
  const drain = () => {
    const got: ScanEvent[] = [];
    k.pollScanEvents((e) => got.push(e));
    return got;
  };

  beforeAll(() => {
    tp = openTestProgram((k) => {
      k.setMode("enforce");
      k.setScan(3, 60);
      k.upsertBans([
        { address: "192.0.2.66", reasons: 8, expiresAtMs: 0 },
        { address: "2001:db8::66", reasons: 8, expiresAtMs: 0 },
      ]);
      k.allowAdd(["203.0.113.77", "2001:db8:77::/48"]);
    });
    k = tp.k;
  });

  afterAll(() => tp?.close());

  test("IPv4 tiny first-fragment SYNs to 3 ports: dropped, counted, and the source crosses the scan threshold", () => {
    drain();
    const c0 = k.counters();
    const src = [198, 18, 0, 1];
    for (const p of PORTS) expect(run(tinyV4(src, p))).toBe(XDP_DROP);
    const c = k.counters();
    expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(3n);
    expect(c.dropped - c0.dropped).toBe(3n);
    expect(c.scanEvents - c0.scanEvents).toBe(1n);
    expect(drain()).toMatchObject([{ src: "198.18.0.1", family: 4, portCount: 3, ports: PORTS }]);
  });

  test("IPv4: fewer than 4 TCP bytes (ports hidden) and offset-1 overlaps (RFC 1858 §3.2) count as hidden probes", () => {
    drain();
    const c0 = k.counters();
    const src = [198, 18, 0, 2];
    expect(run(tinyV4(src, 22, 2))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, [0, 0x02, 0xfa, 0xf0, 0, 0, 0, 0], { fragOff: 1 })))).toBe(XDP_DROP);
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, [0, 0x02, 0xfa, 0xf0, 0, 0, 0, 0], { fragOff: IP_MF | 1 })))).toBe(XDP_DROP);
    expect(k.counters().v4FragEvasion - c0.v4FragEvasion).toBe(3n);
    expect(drain()).toMatchObject([{ src: "198.18.0.2", portCount: 3, ports: [0, 0, 0] }]);
  });

  test("IPv4: a first fragment holding the whole TCP header (options included) is ordinary; one cut inside the options is not", () => {
    const c0 = k.counters();
    const src = [198, 18, 0, 3];
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSyn(22), { fragOff: IP_MF })))).toBe(XDP_PASS);
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSynWithOptions(23, 3), { fragOff: IP_MF })))).toBe(XDP_PASS);
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 17, [0, 53, 0, 53], { fragOff: IP_MF })))).toBe(XDP_PASS); // UDP is not tracked
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSyn(24), { fragOff: 2 })))).toBe(XDP_PASS); // later fragment, no overlap with the flags
    let c = k.counters();
    expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(0n);
    expect(c.synSeen - c0.synSeen).toBe(2n);
    expect(run(frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSynWithOptions(25, 3).slice(0, 24), { fragOff: IP_MF })))).toBe(XDP_DROP);
    c = k.counters();
    expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(1n);
  });

  test(`IPv6: SYNs to 3 ports behind ${MAX_EXTHDR + 1} extension headers are dropped and cross the threshold`, () => {
    drain();
    const c0 = k.counters();
    const src = v6bytes([0x2001, 0xdb8, 0xe, 0, 0, 0, 0, 1]);
    for (const p of PORTS) expect(run(longChainV6(src, p))).toBe(XDP_DROP);
    const c = k.counters();
    expect(c.v6L4Hidden - c0.v6L4Hidden).toBe(3n);
    expect(c.scanEvents - c0.scanEvents).toBe(1n);
    // Ports beyond the walk are unknown: each packet is one hidden probe (port 0).
    expect(drain()).toMatchObject([{ src: "2001:db8:e::1", family: 6, portCount: 3, ports: [0, 0, 0] }]);
    // One header fewer is within the walk: an ordinary, tracked SYN.
    const ok = frame(eth(ETH_IPV6), ipv6(src, DST6, 6, tcpSyn(8080), Array.from({ length: MAX_EXTHDR }, () => ({ type: 60, body: optsBody(0) }))));
    expect(run(ok)).toBe(XDP_PASS);
  });

  test("IPv6 first fragments without the whole TCP header or header chain (RFC 7112) are dropped and charged by port", () => {
    drain();
    const c0 = k.counters();
    const src = v6bytes([0x2001, 0xdb8, 0xe, 0, 0, 0, 0, 2]);
    for (const p of PORTS) expect(run(cutFirstFragV6(src, p))).toBe(XDP_DROP);
    // Chain cut: a first fragment ending right after the fragment header announces a destination-options header.
    const cutChain = new Uint8Array([...eth(ETH_IPV6), ...ipv6(src, DST6, 60, [], [{ type: 44, body: fragBody(0, true) }])]);
    expect(run(cutChain)).toBe(XDP_DROP);
    expect(k.counters().v6L4Hidden - c0.v6L4Hidden).toBe(4n);
    expect(drain()).toMatchObject([{ src: "2001:db8:e::2", portCount: 3, ports: PORTS }]);
    // A whole TCP header in the first fragment, and a non-first fragment, are ordinary.
    expect(run(frame(eth(ETH_IPV6), ipv6(src, DST6, 6, tcpSyn(9000), [{ type: 44, body: fragBody(0, true) }])))).toBe(XDP_PASS);
    expect(run(frame(eth(ETH_IPV6), ipv6(src, DST6, 6, [1, 2, 3, 4, 5, 6, 7, 8], [{ type: 44, body: fragBody(1, true) }])))).toBe(XDP_PASS);
    expect(k.counters().v6L4Hidden - c0.v6L4Hidden).toBe(4n);
  });

  test("test mode: evasive packets pass as would-drops and are still tracked", () => {
    k.setMode("test");
    try {
      drain();
      const c0 = k.counters();
      const src = [198, 18, 0, 4];
      for (const p of PORTS) expect(run(tinyV4(src, p))).toBe(XDP_PASS);
      const c = k.counters();
      expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(3n);
      expect(c.wouldDrop - c0.wouldDrop).toBe(3n);
      expect(c.dropped - c0.dropped).toBe(0n);
      expect(drain()).toMatchObject([{ src: "198.18.0.4", ports: PORTS }]);
    } finally {
      k.setMode("enforce");
    }
  });

  test("allowlisted sources' fragments and long chains pass, uncounted and untracked", () => {
    drain();
    const c0 = k.counters();
    const src6 = v6bytes([0x2001, 0xdb8, 0x77, 0, 0, 0, 0, 1]);
    for (const p of PORTS) {
      expect(run(tinyV4([203, 0, 113, 77], p))).toBe(XDP_PASS);
      expect(run(longChainV6(src6, p))).toBe(XDP_PASS);
      expect(run(cutFirstFragV6(src6, p))).toBe(XDP_PASS);
    }
    const c = k.counters();
    expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(0n);
    expect(c.v6L4Hidden - c0.v6L4Hidden).toBe(0n);
    expect(c.allowlistPassed - c0.allowlistPassed).toBe(9n);
    expect(drain()).toEqual([]);
  });

  test("banned sources are dropped for their ban in every variant, and not tracked", () => {
    drain();
    const c0 = k.counters();
    const b4 = [192, 0, 2, 66];
    const b6 = v6bytes([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x66]);
    for (const p of PORTS) {
      expect(run(tinyV4(b4, p))).toBe(XDP_DROP);
      expect(run(longChainV6(b6, p))).toBe(XDP_DROP);
      expect(run(cutFirstFragV6(b6, p))).toBe(XDP_DROP);
    }
    const c = k.counters();
    expect(c.droppedByReason.MANUAL - c0.droppedByReason.MANUAL).toBe(9n);
    expect(c.scanEvents - c0.scanEvents).toBe(0n);
    expect(drain()).toEqual([]);
  });

  test(`more than ${MAX_VLAN} VLAN tags: passed and counted in their own slot`, () => {
    const c0 = k.counters();
    const tags = Array.from({ length: MAX_VLAN + 1 }, () => VLAN_8021Q);
    expect(run(frame(eth(ETH_IP, tags), ipv4([198, 18, 0, 9], DST4, 6, tcpSyn(22))))).toBe(XDP_PASS);
    const c = k.counters();
    expect(c.vlanDeep - c0.vlanDeep).toBe(1n);
    expect(c.unparsedPassed - c0.unparsedPassed).toBe(0n);
  });
});
