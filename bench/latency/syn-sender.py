#!/usr/bin/python3
"""Sends, for each of N source addresses, one TCP SYN to each of THRESHOLD ports on DST, with a
raw socket (IP_HDRINCL) so every attacker gets its own source address. After the packet that
crosses the threshold, prints {"src": ..., "t0_ns": ...} (CLOCK_REALTIME) and moves on.
usage: syn-sender.py DST N THRESHOLD GAP_MS PREFIX(e.g. 10.200)"""
import json, socket, struct, sys, time

dst, n, threshold, gap_ms, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xFFFF)
    t += t >> 16
    return ~t & 0xFFFF

def syn(src, dport):
    sport = 40000 + dport % 20000
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 64240, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp

for i in range(n):
    src = "%s.%d.%d" % (prefix, 1 + i // 250, 1 + i % 250)
    for p in range(threshold):
        s.sendto(syn(src, 1000 + p), (dst, 0))
    print(json.dumps({"src": src, "t0_ns": time.time_ns()}), flush=True)
    time.sleep(gap_ms / 1000)
