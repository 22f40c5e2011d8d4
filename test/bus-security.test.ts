import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CompactSign, generateKeyPair } from "jose";
import mqtt from "mqtt";
import type { BusClient } from "../packages/bus/src/client.ts";
import { loadSigningKey, type SigningKey } from "../packages/keys/src/keystore.ts";
import type { Decision } from "../packages/schema/src/decision.ts";
import type { MetricsOf } from "../packages/schema/src/metrics.ts";
import { TestNode, waitFor } from "./support/bus-node.ts";
import { newWriteId } from "@honeymesh/schema/decision";

const decision = (value: string): Decision => ({
  id: newWriteId("test"), action: "ban", address: { kind: "ip", text: value }, reasons: 2, ttl_s: 60, origin: "n", source: "scand", evidence: [{ kind: "other", summary: "test" }], offence: 1, at: Date.now(),
});

async function craft(key: SigningKey, claims: Record<string, unknown>, kid = key.kid): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: "EdDSA", kid }).sign(key.key);
}
const now = () => Math.floor(Date.now() / 1000);
const claims = (iss: string, d: unknown, extra: Record<string, unknown> = {}) => ({ iss, iat: now(), exp: now() + 60, jti: crypto.randomUUID(), d, ...extra });

describe("bus: every hostile message is rejected, counted, and crashes nothing", () => {
  const node = new TestNode();
  let busd: ReturnType<TestNode["spawn"]>;
  let sub: BusClient;
  let scand: BusClient;
  let trapd: BusClient;
  let scandKey: SigningKey;
  let trapdKey: SigningKey;
  const got: string[] = [];
  let busdMetrics: MetricsOf<"busd"> | undefined;

  beforeAll(async () => {
    await node.init();
    busd = await node.startBusd();
    sub = await node.client("enforcerd");
    scand = await node.client("scand");
    trapd = await node.client("trapd");
    scandKey = await loadSigningKey(node.stateDir, "scand", node.nodeId);
    trapdKey = await loadSigningKey(node.stateDir, "trapd", node.nodeId);
    await sub.subscribe("+", "decision", (d) => void got.push(d.address.text));
    await sub.subscribe("busd", "metrics", (m) => void (busdMetrics = m.service === "busd" ? m : busdMetrics));
  });
  afterAll(() => node.stop());

  /** Publishes a marker after the hostile input: once it arrives, everything before it was handled. */
  async function settle(marker: string): Promise<void> {
    await scand.publish("decision", decision(marker));
    await waitFor(() => got.includes(marker), 5_000, `marker ${marker}`);
  }

  test("a valid signed decision is delivered", async () => {
    await settle("192.0.2.1");
    expect(got).toEqual(["192.0.2.1"]);
  });

  test("a forged signature is rejected as signature", async () => {
    const good = await craft(scandKey, claims("scand", decision("192.0.2.66")));
    const [h, p, s] = good.split(".");
    const tampered = `${h}.${p!.slice(0, -4)}AAAA.${s}`;
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const foreign = await craft({ ...scandKey, key: privateKey }, claims("scand", decision("192.0.2.67")));
    await scand.publishRaw("hm/v1/scand/decision", tampered, 1);
    await scand.publishRaw("hm/v1/scand/decision", foreign, 1);
    await settle("192.0.2.2");
    expect(sub.rejected.get("signature")).toBe(2);
    expect(got).not.toContain("192.0.2.66");
    expect(got).not.toContain("192.0.2.67");
  });

  test("a message whose iss does not own its topic is rejected as topic_owner", async () => {
    // trapd may publish on its own topic, but the message claims to be scand's.
    await trapd.publishRaw("hm/v1/trapd/decision", await craft(trapdKey, claims("scand", decision("192.0.2.68"))), 1);
    // scand's genuine message replayed by trapd on trapd's topic.
    await trapd.publishRaw("hm/v1/trapd/decision", await craft(scandKey, claims("scand", decision("192.0.2.69"))), 1);
    await settle("192.0.2.3");
    expect(sub.rejected.get("topic_owner")).toBe(2);
    expect(got.filter((v) => v.startsWith("192.0.2.6"))).toEqual([]);
  });

  test("an expired message is rejected as expired", async () => {
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, claims("scand", decision("192.0.2.70"), { iat: now() - 120, exp: now() - 60 })), 1);
    await settle("192.0.2.4");
    expect(sub.rejected.get("expired")).toBe(1);
  });

  test("a replayed jti is rejected as replay", async () => {
    const once = await craft(scandKey, claims("scand", decision("192.0.2.71")));
    await scand.publishRaw("hm/v1/scand/decision", once, 1);
    await scand.publishRaw("hm/v1/scand/decision", once, 1);
    await settle("192.0.2.5");
    expect(got.filter((v) => v === "192.0.2.71")).toHaveLength(1);
    expect(sub.rejected.get("replay")).toBe(1);
  });

  test("a schema-invalid body is rejected as schema", async () => {
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, claims("scand", { ...decision("192.0.2.72"), reasons: "all" })), 1);
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, claims("scand", { target: "ip" })), 1);
    await settle("192.0.2.6");
    expect(sub.rejected.get("schema")).toBe(2);
  });

  test("a batch delivers its valid items in order and refuses each bad one alone", async () => {
    const before = sub.rejected.get("schema");
    const items = [{ d: decision("192.0.2.80") }, { d: { ...decision("192.0.2.81"), reasons: "all" } }, { d: decision("192.0.2.82") }, { d: { target: "ip" } }];
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, { iss: "scand", iat: now(), exp: now() + 60, jti: crypto.randomUUID(), b: items }), 1);
    await settle("192.0.2.10");
    expect(got.filter((v) => v.startsWith("192.0.2.8"))).toEqual(["192.0.2.80", "192.0.2.82"]);
    expect(sub.rejected.get("schema") - before).toBe(2);
  });

  test("a batch of only bad items, or with both d and b, or empty, is refused whole", async () => {
    const schema = sub.rejected.get("schema");
    const malformed = sub.rejected.get("malformed");
    const base = () => ({ iss: "scand", iat: now(), exp: now() + 60, jti: crypto.randomUUID() });
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, { ...base(), b: [{ d: { target: "ip" } }] }), 1);
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, { ...base(), d: decision("192.0.2.90"), b: [{ d: decision("192.0.2.91") }] }), 1);
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, { ...base(), b: [] }), 1);
    await scand.publishRaw("hm/v1/scand/decision", await craft(scandKey, { ...base() }), 1);
    await settle("192.0.2.11");
    expect(sub.rejected.get("schema") - schema).toBe(1);
    expect(sub.rejected.get("malformed") - malformed).toBe(3);
    expect(got.filter((v) => v.startsWith("192.0.2.9"))).toEqual([]);
  });

  test("a replayed batch is delivered once", async () => {
    const once = await craft(scandKey, { iss: "scand", iat: now(), exp: now() + 60, jti: crypto.randomUUID(), b: [{ d: decision("192.0.2.95") }, { d: decision("192.0.2.96") }] });
    const replays = sub.rejected.get("replay");
    await scand.publishRaw("hm/v1/scand/decision", once, 1);
    await scand.publishRaw("hm/v1/scand/decision", once, 1);
    await settle("192.0.2.12");
    expect(got.filter((v) => v === "192.0.2.95" || v === "192.0.2.96")).toEqual(["192.0.2.95", "192.0.2.96"]);
    expect(sub.rejected.get("replay") - replays).toBe(1);
  });

  test("a burst of publishes is signed in batches and arrives whole and in order", async () => {
    const signed = scand.stats.get("signed");
    const want = Array.from({ length: 3_000 }, (_, i) => `198.51.${i >> 8}.${i & 255}`);
    await Promise.all(want.map((a) => scand.publish("decision", decision(a))));
    const messages = scand.stats.get("signed") - signed;
    await waitFor(() => want.every((a) => got.includes(a)), 15_000, "burst delivered");
    expect(got.filter((v) => v.startsWith("198.51."))).toEqual(want);
    // Far fewer signed messages than bodies: the batcher grouped what waited behind each round trip.
    expect(messages).toBeLessThan(want.length / 10);
    expect(messages).toBeGreaterThanOrEqual(2);
  });

  test("unauthenticated clients are refused and counted by the broker", async () => {
    const attempt = (opts: mqtt.IClientOptions) =>
      new Promise<string>((resolve) => {
        const c = mqtt.connect(`mqtt://127.0.0.1:${node.busPort}`, { ...opts, reconnectPeriod: 0, connectTimeout: 3000 });
        c.on("connect", () => (c.end(true), resolve("connected")));
        c.on("error", (e) => (c.end(true), resolve(e.message)));
      });
    expect(await attempt({})).not.toBe("connected");
    expect(await attempt({ username: "scand", password: "not-a-jwt" })).not.toBe("connected");
    expect(await attempt({ username: "root", password: "x" })).not.toBe("connected");
    // A valid token of trapd presented as scand.
    const wrong = await craft(trapdKey, { iss: "trapd", sub: "trapd", aud: "hm-bus", iat: now(), exp: now() + 60 });
    expect(await attempt({ username: "scand", password: wrong })).not.toBe("connected");
    await waitFor(() => (busdMetrics?.refused.auth_unknown_user ?? 0) >= 2 && (busdMetrics?.refused.auth_bad_token ?? 0) >= 2, 5_000, "busd refusal counters");
  });

  test("a publish outside the ACL is refused by the broker and never delivered", async () => {
    const rogue = await node.client("trapd");
    rogue.publishRaw("hm/v1/scand/decision", await craft(trapdKey, claims("trapd", decision("192.0.2.73"))), 0).catch(() => {});
    await waitFor(() => (busdMetrics?.refused.acl_publish ?? 0) >= 1, 5_000, "acl refusal counter");
    await settle("192.0.2.7");
    expect(got).not.toContain("192.0.2.73");
  });

  test("10 000 random byte strings as payloads crash nothing and are all counted", async () => {
    const before = sub.rejected.total();
    for (let i = 0; i < 10_000; i++) {
      const len = Math.floor(Math.random() * 512);
      const bytes = crypto.getRandomValues(new Uint8Array(len));
      // Some shaped like a JWS, to get past the first checks.
      if (i % 3 === 0) bytes.set(new TextEncoder().encode(`eyJhbGciOiJFZERTQSIsImtpZCI6InNjYW5kQCR9.${i}.`).slice(0, len));
      const sent = scand.publishRaw("hm/v1/scand/decision", bytes, 0).catch(() => {});
      if (i % 500 === 499) await sent;
    }
    await settle("192.0.2.8");
    await waitFor(() => sub.rejected.total() - before >= 10_000, 10_000, "all random payloads counted");
    expect(sub.rejected.total() - before).toBe(10_000);
    expect(busd.exitCode).toBeNull();
    await settle("192.0.2.9");
  });
});
