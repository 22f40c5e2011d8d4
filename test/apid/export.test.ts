import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../../packages/db/src/open.ts";
import * as schema from "../../packages/tables/src/enforcerd.ts";
import { BanStore, type BanRow } from "../../services/enforcerd/src/store/ban-store.ts";
import { ROOT } from "../support/bus-node.ts";
import { ApiNode, curl, rssKb } from "./harness.ts";

let n: ApiNode;
let store: ReturnType<typeof openStore<typeof schema>>;
let bans: BanStore;

beforeAll(async () => {
  n = await new ApiNode().start();
  store = openStore({ path: join(n.node.stateDir, "enforcerd.sqlite"), schema, migrationsFolder: join(ROOT, "services/enforcerd/drizzle") });
  bans = new BanStore(store);
});
afterAll(async () => {
  store?.close();
  await n?.stop();
});

function rows(from: number, count: number, evidence: (i: number) => string[] = () => ["bulk"]): BanRow[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: "ip", reasons: 1 | ((i & 1) << 1), expiresAt: now + 86_400_000, createdAt: now, updatedAt: now, origin: "bulk", source: "test", offence: 1, evidence: evidence(i).map((summary) => ({ kind: "other" as const, summary })), confidence: "verified" };
  });
}

async function run(cmd: string[], stdinPath?: string): Promise<string> {
  const p = Bun.spawn(cmd, { stdin: stdinPath ? Bun.file(stdinPath) : "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
  if ((await p.exited) !== 0) throw new Error(`${cmd.join(" ")}: ${err}`);
  return out.trim();
}

const PY_CSV = "import csv,sys\nr=list(csv.reader(open(sys.argv[1],newline='')))\nprint(len(r)-1, r[0][0], len(set(len(x) for x in r)))";

describe("exports", () => {
  test("json, csv and ndjson of the same bans parse with jq and Python's csv, with the store's count", async () => {
    // Evidence full of what CSV must quote: commas, quotes, CR/LF.
    bans.putMany(rows(0, 3000, (i) => [`ev ${i}, "quoted"\r\nnext line`]));
    const count = bans.count();
    const dir = n.node.stateDir;
    for (const format of ["json", "csv", "ndjson"]) {
      const r = await curl(["-o", join(dir, `x.${format}`), "-H", `Authorization: Bearer ${n.admin}`, `${n.base}/v1/export?format=${format}&kind=bans`]);
      expect(r.status).toBe(200);
    }
    expect(Number(await run(["jq", "length", join(dir, "x.json")]))).toBe(count);
    expect(Number(await run(["jq", "-n", "reduce inputs as $x (0; . + 1)", join(dir, "x.ndjson")]))).toBe(count);
    expect(await run(["jq", "-r", 'select(.address.text == "10.0.0.7") | .evidence[0].summary', join(dir, "x.ndjson")])).toBe('ev 7, "quoted"\r\nnext line');
    expect(await run(["/usr/bin/python3", "-c", PY_CSV, join(dir, "x.csv")])).toBe(`${count} address 1`);
    const events = await curl(["-H", `Authorization: Bearer ${n.admin}`, `${n.base}/v1/export?format=json&kind=events`]);
    expect(events.json).toEqual([]);
  });

  test("a 1 M-row export streams with apid's RSS at most 200 MB", async () => {
    for (let from = 3000; from < 1_003_000; from += 100_000) bans.putMany(rows(from, 100_000));
    const count = bans.count();
    expect(count).toBeGreaterThanOrEqual(1_000_000);
    const file = join(n.node.stateDir, "big.ndjson");
    const before = rssKb(n.apid.pid);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, rssKb(n.apid.pid));
        await Bun.sleep(25);
      }
    })();
    const t0 = performance.now();
    const dl = Bun.spawn(["curl", "-s", "-o", file, "-w", "%{http_code}", "-H", `Authorization: Bearer ${n.admin}`, `${n.base}/v1/export?format=ndjson&kind=bans`], { stdout: "pipe" });
    const code = await new Response(dl.stdout).text();
    const seconds = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    expect(code).toBe("200");
    expect(Number(await run(["jq", "-n", "reduce inputs as $x (0; . + 1)", file]))).toBe(count);
    console.log(`1M export: ${count} rows, ${(statSync(file).size / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s, apid RSS ${(before / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB peak`);
    expect(peak).toBeLessThanOrEqual(200 * 1024);

    const csv = join(n.node.stateDir, "big.csv");
    const r = await curl(["-o", csv, "-H", `Authorization: Bearer ${n.admin}`, `${n.base}/v1/export?format=csv&kind=bans`]);
    expect(r.status).toBe(200);
    expect(await run(["/usr/bin/python3", "-c", PY_CSV, csv])).toBe(`${count} address 1`);
  }, 240_000);
});
