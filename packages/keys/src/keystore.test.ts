import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compactVerify, createLocalJWKSet, CompactSign } from "jose";
import { ensureKeys, loadSigningKey, readJwks } from "./keystore.ts";
import { ensureNodeId } from "./node-id.ts";

describe("keystore", () => {
  test("concurrent first starts create one key per identity, private keys 0600, all in jwks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hm-keys-"));
    const node = ensureNodeId(dir, "");
    expect(node).toMatch(/^hm-[0-9a-f]{8}$/);
    expect(ensureNodeId(dir, "")).toBe(node);
    await Promise.all([1, 2, 3].map(() => ensureKeys(dir, node, ["busd", "trapd", "apid"])));
    const jwks = readJwks(dir);
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([`apid@${node}`, `busd@${node}`, `trapd@${node}`]);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(statSync(join(dir, "keys", "trapd.jwk")).mode & 0o777).toBe(0o600);
    const before = readFileSync(join(dir, "keys", "trapd.jwk"), "utf8");
    await ensureKeys(dir, node, ["busd", "trapd", "apid", "scand"]);
    expect(readFileSync(join(dir, "keys", "trapd.jwk"), "utf8")).toBe(before);
    expect(readJwks(dir).keys).toHaveLength(4);
  });

  test("a loaded key signs what the jwks verifies, and only under its own kid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hm-keys-"));
    await ensureKeys(dir, "n1", ["trapd", "scand"]);
    const k = await loadSigningKey(dir, "trapd", "n1");
    const jws = await new CompactSign(new TextEncoder().encode("x")).setProtectedHeader({ alg: "EdDSA", kid: k.kid }).sign(k.key);
    const set = createLocalJWKSet(readJwks(dir));
    expect((await compactVerify(jws, set)).protectedHeader.kid).toBe("trapd@n1");
    const forged = await new CompactSign(new TextEncoder().encode("x")).setProtectedHeader({ alg: "EdDSA", kid: "scand@n1" }).sign(k.key);
    await expect(compactVerify(forged, set)).rejects.toThrow();
  });
});
