#!/usr/bin/python3
"""For each of the source addresses FIRST..FIRST+N-1 of PREFIX (e.g. 10.1.2 → 10.1.2.100), opens
one real TCP connection (a completed handshake: verified evidence) to PORT on DST, printing
{"src": ..., "t0_ns": ...} (CLOCK_REALTIME) just before connect(), then closes it.
usage: connect-sender.py DST PORT N PREFIX FIRST GAP_MS"""
import json, socket, sys, time

dst, port, n, prefix, first, gap_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
for i in range(n):
    src = "%s.%d" % (prefix, first + i)
    print(json.dumps({"src": src, "t0_ns": time.time_ns()}), flush=True)
    try:
        c = socket.create_connection((dst, port), timeout=2, source_address=(src, 0))
        c.close()
    except OSError:
        pass
    time.sleep(gap_ms / 1000)
