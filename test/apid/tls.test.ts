import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { ApiNode, curl } from "./harness.ts";

const dir = mkdtempSync(join(tmpdir(), "hm-tls-"));
const cert = join(dir, "api.crt");
const key = join(dir, "api.key");
let n: ApiNode;

beforeAll(async () => {
  const r = Bun.spawnSync(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=honeymesh-test", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], { stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl: ${r.stderr.toString()}`);
  n = await new ApiNode().start({ HONEYMESH_API_TLS_CERT: cert, HONEYMESH_API_TLS_KEY: key }, false);
});
afterAll(async () => {
  await n?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("with tls_cert/tls_key apid speaks HTTPS only, and the CLI trusts the node's certificate", async () => {
  const base = `https://127.0.0.1:${n.port}`;
  const ok = await curl(["--cacert", cert, "-H", `Authorization: Bearer ${n.admin}`, `${base}/v1/bans`]);
  expect(ok.status).toBe(200);
  expect((await curl(["-H", `Authorization: Bearer ${n.admin}`, `${base}/v1/bans`])).status).toBe(0); // untrusted: curl refuses
  expect((await curl([`http://127.0.0.1:${n.port}/v1/health`])).status).not.toBe(200);
  // No socket: the CLI goes over TCP, with the admin token from the state dir.
  const cli = await n.cli(["bans", "--json"], { HONEYMESH_API_TLS_CERT: cert, HONEYMESH_API_TLS_KEY: key, HONEYMESH_API_SOCKET: "/nonexistent/api.sock" });
  expect(cli.err).toBe("");
  expect(cli.code).toBe(0);
  expect(JSON.parse(cli.out)).toEqual([]);
});
