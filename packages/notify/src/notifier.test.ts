import { afterAll, expect, test } from "bun:test";
import type { NotifyEvent } from "./events.ts";
import { postRequest } from "./http-send.ts";
import { Notifier, type NotifierOptions } from "./notifier.ts";
import { httpRequest, renderTemplate, type Message } from "./payload.ts";
import { SIGNATURE_HEADER, signBody, verifySignature } from "./sign.ts";

/** A real HTTP receiver on loopback; `failNext` answers 500 that many times. */
const got: { headers: Headers; body: string }[] = [];
let failNext = 0;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const body = await req.text();
    if (failNext > 0) {
      failNext--;
      return new Response("busy", { status: 500 });
    }
    got.push({ headers: req.headers, body });
    return new Response("ok");
  },
});
afterAll(() => server.stop(true));
const url = `http://127.0.0.1:${server.port}/hook`;
const SECRET = "hook-secret";

const ban = (i: number): NotifyEvent => ({ type: "ban", at: Date.now(), address: `192.0.2.${i % 256}`, reasons: i % 2 ? ["TRAP"] : ["SCAN"], origin: "n1", local: true, jails: [], summary: "", expires_at: 0 });
const webhook = (o: Partial<NotifierOptions> = {}) =>
  new Notifier({
    deliver: (m: Message) => postRequest(httpRequest({ type: "webhook", url, secret: SECRET, template: "", node: "n1" }, m), 2000),
    flushMs: 3_600_000, // flushed by hand below
    itemiseMax: 5,
    ratePerMin: 600,
    maxQueue: 200,
    maxOutbox: 10,
    retries: 3,
    backoffMs: 10,
    ...o,
  });
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await Bun.sleep(10);
};

test("a few bans: one signed webhook each, verifiable by the receiver", async () => {
  got.length = 0;
  const n = webhook();
  for (let i = 1; i <= 3; i++) n.accept(ban(i));
  n.flush();
  await until(() => got.length >= 3);
  expect(got.length).toBe(3);
  for (const g of got) {
    expect(g.headers.get("x-honeymesh-event")).toBe("ban");
    expect(verifySignature(SECRET, g.body, g.headers.get(SIGNATURE_HEADER)!)).toBe(true);
    expect(verifySignature("other", g.body, g.headers.get(SIGNATURE_HEADER)!)).toBe(false);
  }
  expect(got.map((g) => (JSON.parse(g.body) as { event: { address: string } }).event.address).sort()).toEqual(["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
  n.stop();
});

test("a burst of 1000 bans is one digest that accounts for every ban, within a bounded queue", async () => {
  got.length = 0;
  const n = webhook();
  for (let i = 0; i < 1000; i++) n.accept(ban(i));
  n.flush();
  await until(() => n.stats.sent >= 1);
  await Bun.sleep(50);
  expect(got.length).toBe(1);
  const d = JSON.parse(got[0]!.body) as { kind: string; digest: { total: number; dropped: number; by_reason: Record<string, number>; sample: string[] } };
  expect(d.kind).toBe("digest");
  expect(d.digest.total).toBe(1000);
  expect(d.digest.dropped).toBe(800); // maxQueue 200 itemised, the rest counted
  expect(d.digest.by_reason).toEqual({ SCAN: 100, TRAP: 100 });
  expect(d.digest.sample.length).toBe(10);
  expect(n.stats).toMatchObject({ accepted: 1000, overflowed: 800, digests: 1, sent: 1 });
  n.stop();
});

test("past the rate, events wait and go out as a digest when budget returns", async () => {
  got.length = 0;
  const n = webhook({ ratePerMin: 1, itemiseMax: 2 });
  n.accept(ban(1));
  n.accept(ban(2));
  n.flush(); // 2 itemised, budget spent
  n.accept(ban(3));
  n.accept(ban(4));
  n.flush(); // no budget: they wait
  await until(() => got.length >= 2);
  await Bun.sleep(30);
  expect(got.length).toBe(2);
  n.flush(Date.now() + 61_000); // a minute later: one token
  await until(() => got.length >= 3);
  expect((JSON.parse(got[2]!.body) as { kind: string }).kind).toBe("digest");
  n.stop();
});

test("a failing receiver is retried with backoff; a full outbox drops and counts", async () => {
  got.length = 0;
  failNext = 2;
  const n = webhook();
  n.accept(ban(9));
  n.flush();
  // The receiver records the body before the sender reads its answer: wait for the sender's count.
  await until(() => n.stats.sent >= 1);
  expect(got.length).toBe(1);
  expect(n.stats).toMatchObject({ retried: 2, sent: 1, failed: 0 });
  expect(n.stats.last_error).toContain("HTTP 500");

  failNext = 1000;
  const slow = webhook({ maxOutbox: 2, itemiseMax: 1, ratePerMin: 60_000, retries: 50, backoffMs: 20 });
  for (let i = 0; i < 5; i++) {
    slow.accept(ban(i));
    slow.flush(Date.now() + i * 1000);
  }
  expect(slow.stats.dropped).toBeGreaterThan(0);
  slow.stop();
  failNext = 0;
  n.stop();
});

test("Slack, Discord and ntfy payloads; a webhook template gets JSON-escaped text", () => {
  const m: Message = { kind: "event", event: { type: "session", at: 0, service: "ssh", src: "192.0.2.5", usernames: ['root"\n'], credentials: 2, commands: 1 } };
  const slack = JSON.parse(httpRequest({ type: "slack", url, secret: "", template: "", node: "n1" }, m).body) as { text: string };
  expect(slack.text).toContain("trap session on ssh from 192.0.2.5 with 2 credentials");
  const discord = JSON.parse(httpRequest({ type: "discord", url, secret: "", template: "", node: "n1" }, m).body) as { content: string };
  expect(discord.content.length).toBeLessThanOrEqual(2000);
  const ntfy = httpRequest({ type: "ntfy", url, secret: "", template: "", node: "n1" }, m);
  expect(ntfy.headers.title).toBe("HoneyMesh n1: session");
  expect(ntfy.body).toContain("ssh");
  const t = renderTemplate('{"msg":"{{text}}","k":"{{kind}}","raw":{{json}}}', "n1", m);
  const parsed = JSON.parse(t) as { msg: string; k: string; raw: { src: string } };
  expect(parsed.k).toBe("session");
  expect(parsed.raw.src).toBe("192.0.2.5");
  expect(parsed.msg).toContain('\\"');
  expect(signBody("k", "b", 1)).toMatch(/^t=1,v1=[0-9a-f]{64}$/);
});
