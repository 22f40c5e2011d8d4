import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { loadHostKey } from "./host-key.ts";

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "hm-hostkey-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("400 fresh state dirs: every generated key parses (the generator's 31-byte keys are skipped), 0600, stable across loads", () => {
  for (let i = 0; i < 400; i++) {
    const d = fresh();
    const key = loadHostKey(d);
    expect(ssh2.utils.parseKey(key) instanceof Error).toBe(false);
    expect(loadHostKey(d)).toBe(key);
    if (i === 0) expect(statSync(join(d, "trapd/ssh_host_ed25519_key")).mode & 0o777).toBe(0o600);
  }
});

test("a stored key that does not parse is set aside and replaced", () => {
  const d = fresh();
  mkdirSync(join(d, "trapd"), { recursive: true });
  // The shape the generator sometimes produced: a 31-byte public key.
  const bad = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMgAAAAtz\nc2gtZWQyNTUxOQAAAB+ewcelMjTX9VUFEZTjlRiD8Kn4V5KeOEPxuVqRb6xcAAAA\niEWmn39Fpp9/AAAAC3NzaC1lZDI1NTE5AAAAH57Bx6UyNNf1VQURlOOVGIPwqfhX\nkp44Q/G5WpFvrFwAAAA/8GQTlKqBkV58yuPT8fb6A2y4ZVD8SapRP1G+conpMvCe\nwcelMjTX9VUFEZTjlRiD8Kn4V5KeOEPxuVqRb6xcAAAAAAECAwQFBgc=\n-----END OPENSSH PRIVATE KEY-----\n";
  expect(ssh2.utils.parseKey(bad) instanceof Error).toBe(true);
  writeFileSync(join(d, "trapd/ssh_host_ed25519_key"), bad, { mode: 0o600 });
  const key = loadHostKey(d);
  expect(key).not.toBe(bad);
  expect(ssh2.utils.parseKey(key) instanceof Error).toBe(false);
  expect(readFileSync(join(d, "trapd/ssh_host_ed25519_key.malformed"), "utf8")).toBe(bad);
  expect(existsSync(join(d, "trapd/ssh_host_ed25519_key.pub"))).toBe(true);
});
