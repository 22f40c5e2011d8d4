#!/usr/bin/env python3
# Runs in the attacker's namespace, from the attacker's own address: a TCP connect to a plain
# listener on the victim (not sshd, so probing costs sshd nothing) every GAP ms. A connect that is
# not established within TIMEOUT ms (XDP dropped the SYN) or is refused (Fail2Ban's nftables
# action rejects) is a dropped probe. The drop moment is the send time of the first dropped probe
# of CONFIRM consecutive ones; printed as JSON {"drop_ns", "last_ok_ns", "probes"} and exit.
# Gives up after LIMIT s with drop_ns null.
# usage: drop-probe.py HOST PORT GAP_MS TIMEOUT_MS CONFIRM LIMIT_S
import socket, sys, time, json, errno
host, port = sys.argv[1], int(sys.argv[2])
gap, timeout, confirm, limit = float(sys.argv[3]) / 1000, float(sys.argv[4]) / 1000, int(sys.argv[5]), float(sys.argv[6])
print("ready", flush=True)
end = time.monotonic() + limit
first_bad, bad, last_ok, probes = None, 0, None, 0
nxt = time.monotonic()
while time.monotonic() < end:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    sent = time.time_ns()
    probes += 1
    try:
        s.connect((host, port))
        ok = True
    except (socket.timeout, ConnectionRefusedError, OSError):
        ok = False
    finally:
        s.close()
    if ok:
        first_bad, bad, last_ok = None, 0, sent
    else:
        if first_bad is None:
            first_bad = sent
        bad += 1
        if bad >= confirm:
            print(json.dumps({"drop_ns": first_bad, "last_ok_ns": last_ok, "probes": probes}), flush=True)
            sys.exit(0)
    nxt += gap
    pause = nxt - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    else:
        nxt = time.monotonic()
print(json.dumps({"drop_ns": None, "last_ok_ns": last_ok, "probes": probes}), flush=True)
