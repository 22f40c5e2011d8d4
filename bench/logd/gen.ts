// Writes bench/logd's sshd log: a realistic mix where most lines are not failures.
import { openSync, writeSync, closeSync } from "node:fs";

const [path, nArg] = process.argv.slice(2) as [string, string];
const n = Number(nArg);
const fd = openSync(path, "w");
// today's syslog stamp, so the lines are recent (logd skips history older than findtime)
const d = new Date();
const stamp = `${d.toLocaleString("en-US", { month: "short" })} ${String(d.getDate()).padStart(2, " ")} ${d.toTimeString().slice(0, 5)}`;
let chunk: string[] = [];
for (let i = 0; i < n; i++) {
  const s = String(i % 60).padStart(2, "0");
  const ip = `198.51.${(i >> 8) & 255}.${i & 255}`;
  chunk.push(
    i % 4 === 0
      ? `${stamp}:${s} host sshd[${1000 + (i % 5000)}]: Failed password for root from ${ip} port ${20000 + (i % 40000)} ssh2`
      : i % 4 === 1
        ? `${stamp}:${s} host sshd[${1000 + (i % 5000)}]: Connection closed by ${ip} port 22 [preauth]`
        : `${stamp}:${s} host CRON[${i}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
  );
  if (chunk.length === 10_000) {
    writeSync(fd, `${chunk.join("\n")}\n`);
    chunk = [];
  }
}
if (chunk.length) writeSync(fd, `${chunk.join("\n")}\n`);
closeSync(fd);
