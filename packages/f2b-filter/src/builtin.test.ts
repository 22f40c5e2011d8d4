import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { BUILTIN_DIR, loadFilter } from "./builtin.ts";
import { scoreFilter } from "./samples.ts";

const LOGS = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs";

describe("built-in filters", () => {
  test("sshd and sshd-session both match OpenSSH 9.8's sshd-session lines", () => {
    for (const name of ["sshd", "sshd-session"]) {
      const f = loadFilter(name);
      const v = f.processLine("Nov 30 10:00:01 host sshd-session[4242]: Failed password for root from 203.0.113.5 port 51000 ssh2");
      expect(v.kind === "failure" && v.address).toBe("203.0.113.5");
      expect(f.processLine("Nov 30 10:00:02 host sshd-session[4243]: Accepted publickey for bob from 203.0.113.6 port 51001 ssh2").kind).not.toBe("failure");
    }
  });

  test("options in the name select a mode", () => {
    const normal = loadFilter("sshd");
    const aggressive = loadFilter("sshd[mode=aggressive]");
    const line = "Nov 30 10:00:03 host sshd[77]: Did not receive identification string from 203.0.113.7 port 1";
    expect(normal.processLine(line).kind).not.toBe("failure");
    expect(aggressive.processLine(line).kind).toBe("failure");
  });

  test.skipIf(!existsSync(LOGS))("the shipped copies agree with Fail2Ban's samples", () => {
    for (const name of ["sshd", "nginx-http-auth", "nginx-botsearch", "apache-badbots", "apache-auth", "postfix", "dovecot", "vsftpd", "proftpd"]) {
      const s = scoreFilter(BUILTIN_DIR, LOGS, name);
      expect(s.refused).toBeUndefined();
      expect(s.annotated).toBeGreaterThan(0);
      expect(s.agreed).toBe(s.annotated);
    }
  });
});
