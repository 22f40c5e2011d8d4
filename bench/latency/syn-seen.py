#!/usr/bin/python3
"""Records which TCP SYNs from PREFIX reached the victim's stack: an AF_PACKET socket sees a frame
only after XDP passed it (XDP runs before any tap). On SIGTERM prints {"src": [dports...]}.
usage: syn-seen.py IFNAME PREFIX(e.g. 10.201.)"""
import json, signal, socket, sys

ifname, prefix = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((ifname, 0))
seen = {}

def done(*_):
    print(json.dumps(seen), flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, done)
print("ready", flush=True)
while True:
    f, addr = s.recvfrom(2048)
    if addr[2] == socket.PACKET_OUTGOING or len(f) < 14 + 20 + 14 or f[14 + 9] != 6:
        continue
    src = socket.inet_ntoa(f[14 + 12:14 + 16])
    if not src.startswith(prefix):
        continue
    ihl = (f[14] & 0x0F) * 4
    th = 14 + ihl
    if f[th + 13] & 0x12 != 0x02:
        continue
    seen.setdefault(src, []).append((f[th + 2] << 8) | f[th + 3])
