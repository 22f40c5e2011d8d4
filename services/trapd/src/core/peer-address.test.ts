import { expect, test } from "bun:test";
import { parseSockaddr, peerOf, peerOfFd } from "./peer-address.ts";

test("sockaddr_in, sockaddr_in6 and v4-mapped sockaddr_in6 parse to canonical text and port", () => {
  expect(parseSockaddr(Uint8Array.from([2, 0, 0x1f, 0x90, 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0]), 16)).toEqual({ address: "192.0.2.7", port: 8080 });
  const v6 = new Uint8Array(28);
  v6.set([10, 0, 0xd4, 0x31], 0);
  v6.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 8);
  expect(parseSockaddr(v6, 28)).toEqual({ address: "2001:db8::1", port: 54321 });
  v6.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 9], 8);
  expect(parseSockaddr(v6, 28)).toEqual({ address: "198.51.100.9", port: 54321 });
  expect(parseSockaddr(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]), 8)).toBeUndefined(); // AF_UNIX
});

test("a socket the peer reset before the runtime asked still yields its address and port from the kernel", async () => {
  const opened: { runtime: string | undefined; kernel: ReturnType<typeof peerOf>; peer: ReturnType<typeof peerOf> }[] = [];
  const l = Bun.listen<undefined>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        const fd = (s as unknown as { fd?: number }).fd;
        opened.push({ runtime: s.remoteAddress, kernel: peerOfFd(fd ?? -1), peer: peerOf(s.remoteAddress, s.remotePort, fd) });
      },
      data() {},
    },
  });
  // Connect with SO_LINGER 0 and close at once: the RST reaches the listener before accept() runs.
  const net = await import("node:net");
  const ports: number[] = [];
  await new Promise<void>((resolve) => {
    const c = net.connect({ host: "127.0.0.1", port: l.port }, () => {
      ports.push(c.localPort!);
      c.resetAndDestroy();
      resolve();
    });
  });
  for (let i = 0; i < 100 && opened.length === 0; i++) await Bun.sleep(10);
  l.stop(true);
  expect(opened).toHaveLength(1);
  expect(opened[0]!.peer).toEqual({ address: "127.0.0.1", port: ports[0]! });
  expect(opened[0]!.kernel).toEqual({ address: "127.0.0.1", port: ports[0]! });
});

test("no fd and no runtime address: undefined, never a made-up source", () => {
  expect(peerOf(undefined, undefined, undefined)).toBeUndefined();
  expect(peerOfFd(-1)).toBeUndefined();
});
