#!/usr/bin/env python3
# test/fixtures/syslog-to-file.py plus a clock: reads what glibc's syslog() sends to /dev/log,
# appends it to the log file in rsyslog's traditional format ("Nov 30 10:00:01 <host> sshd[123]: …"),
# unbuffered, and right after each write appends "<unix ns>\t<line>" to a stamps file, so the bench
# knows to the microsecond when a line became readable by whoever follows the log.
# usage: syslog-stamped.py SOCKET LOG STAMPS HOST
import socket, sys, os, re, time
sock_path, out_path, stamps_path, host = sys.argv[1:5]
try:
    os.unlink(sock_path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
os.chmod(sock_path, 0o666)
print("ready", flush=True)
pri = re.compile(rb"^<\d{1,3}>")
stamp = re.compile(rb"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d ")
with open(out_path, "ab", buffering=0) as out, open(stamps_path, "ab", buffering=0) as stamps:
    while True:
        msg = s.recv(65536)
        msg = pri.sub(b"", msg).rstrip(b"\n\0")
        m = stamp.match(msg)
        if m:
            ts, rest = m.group(0), msg[m.end():]
        else:
            ts, rest = time.strftime("%b %e %H:%M:%S ").encode(), msg
        line = ts + host.encode() + b" " + rest.replace(b"\n", b" ")
        out.write(line + b"\n")
        stamps.write(str(time.time_ns()).encode() + b"\t" + line + b"\n")
