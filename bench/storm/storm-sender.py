#!/usr/bin/python3
"""Storm: N random source addresses over SECONDS, each sending SYNs to K random distinct ports
(K >= the scan threshold), interleaved. Prints {"src", "t0_ns"} when a source's K-th SYN is out.
usage: storm-sender.py DST N SECONDS K"""
import json, random, socket, struct, sys, time

dst, n, seconds, k = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
dst_b = socket.inet_aton(dst)

def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xFFFF)
    t += t >> 16
    return ~t & 0xFFFF

def syn(src_b, dport):
    tcp = struct.pack("!HHIIBBHHH", 40000 + (dport & 0x3FFF), dport, 1, 0, 5 << 4, 0x02, 64240, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", csum(src_b + dst_b + struct.pack("!BBH", 0, 6, 20) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0, src_b, dst_b)
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + tcp

rng = random.Random(7)
# Unique sources in 100.64.0.0/10 (shared address space, never this machine's).
sources = rng.sample(range(1, (1 << 22) - 1), n)
start = time.time()
batch = 64
for i in range(0, n, batch):
    group = sources[i:i + batch]
    srcs = [socket.inet_aton("100.%d.%d.%d" % (64 + (x >> 16), (x >> 8) & 255, x & 255)) for x in group]
    ports = [rng.sample(range(1, 65535), k) for _ in group]
    for j in range(k):
        for src_b, ps in zip(srcs, ports):
            s.sendto(syn(src_b, ps[j]), (dst, 0))
    now = time.time_ns()
    print("\n".join(json.dumps({"src": socket.inet_ntoa(b), "t0_ns": now}) for b in srcs), flush=True)
    due = start + seconds * (i + batch) / n
    delay = due - time.time()
    if delay > 0:
        time.sleep(delay)
