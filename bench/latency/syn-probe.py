#!/usr/bin/python3
"""For each of N source addresses: one TCP SYN to each of THRESHOLD ports on DST (the last one
crosses the scan threshold), then FOLLOW more SYNs to fresh ports, GAP_US apart (busy-wait), each
stamped. Raw socket (IP_HDRINCL) so every attacker gets its own source. Prints one JSON line per
source: {"src", "t0_ns" (the threshold packet), "follow_ns": [send time of follow-up j, dport 2000+j]}.
usage: syn-probe.py DST N THRESHOLD FOLLOW GAP_US PREFIX(e.g. 10.201) PAUSE_MS"""
import json, socket, struct, sys, time

dst, n, threshold, follow, gap_us, prefix, pause_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], float(sys.argv[7])
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
    pkts = [syn(src, 1000 + p) for p in range(threshold)]
    fol = [syn(src, 2000 + j) for j in range(follow)]
    for p in pkts:
        s.sendto(p, (dst, 0))
    t0 = time.time_ns()
    sent = []
    nxt = t0
    for f in fol:
        nxt += int(gap_us * 1000)
        while time.time_ns() < nxt:
            pass
        s.sendto(f, (dst, 0))
        sent.append(time.time_ns())
    print(json.dumps({"src": src, "t0_ns": t0, "follow_ns": sent}), flush=True)
    time.sleep(pause_ms / 1000)
