import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Reader, type Response } from "maxmind";
import { formatIp, parseAddress, type IpAddr } from "@honeymesh/net/address";
import { AsnTable } from "./asn-table.ts";
import { EnrichError } from "./errors.ts";
import { reserved } from "./reserved.ts";
import { Lru } from "./lru.ts";

/** What is known about an address; every field is optional (private ranges have none). */
export interface Enrichment {
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  asn?: number;
  org?: string;
}

export interface EnrichFiles {
  /** A MaxMind DB with `country_code` (ip-location-db's country format), IPv4 and IPv6. */
  country: string;
  /** `start,end,asn,org` with integer bounds. */
  asnV4: string;
  /** `start,end,asn,org` with IPv6 text bounds. */
  asnV6: string;
}

/**
 * Where the databases are, `root` being SOURCE_ROOT: in a release, `packages/enrich/databases`
 * under the install prefix (scripts/build-release.sh copies them there); in a checkout, this
 * package's node_modules (the npm packages that ship them). A package update (bun update)
 * refreshes them; nothing is fetched at run time.
 */
export function defaultFiles(root: string): EnrichFiles {
  const shipped = join(root, "packages", "enrich", "databases");
  const db = existsSync(shipped) ? shipped : join(root, "packages", "enrich", "node_modules", "@ip-location-db");
  return {
    country: join(db, "geo-whois-asn-country-mmdb", "geo-whois-asn-country.mmdb"),
    asnV4: join(db, "asn", "asn-ipv4-num.csv"),
    asnV6: join(db, "asn", "asn-ipv6.csv"),
  };
}

export interface EnrichStatus {
  loaded: boolean;
  /** Missing or unreadable databases; lookups go on with what loaded. */
  problems: { code: EnrichError["code"]; detail: string }[];
  load_ms: number;
  ranges: { v4: number; v6: number; asns: number; dropped: number };
  /** not_ready: lookups answered with nothing because the databases were still loading. */
  counters: { lookups: number; cache_hits: number; found: number; bad_input: number; not_ready: number };
}

const COUNTRY = /^[A-Z]{2}$/;
const NOTHING: Enrichment = Object.freeze({});

/**
 * Country and ASN/organisation of an address, offline. The databases are opened once, when first
 * needed (a service that never enriches pays nothing in memory): `ready()` loads them without
 * holding the event loop for long; `lookup` answers synchronously once they are loaded, and
 * before that says nothing (and caches nothing). Answers are kept in a bounded LRU. Never throws:
 * bad input is `undefined` and counted, a missing database is a problem in `status()` and its
 * fields are simply absent.
 */
export class Enricher {
  private country: Reader<Response> | undefined;
  private asn: AsnTable | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  private readonly cache: Lru<string, Enrichment>;
  private readonly problems: EnrichStatus["problems"] = [];
  private loadMs = 0;
  private readonly counters = { lookups: 0, cache_hits: 0, found: 0, bad_input: 0, not_ready: 0 };

  constructor(
    readonly files: EnrichFiles,
    cacheSize = 4096,
  ) {
    this.cache = new Lru(cacheSize);
  }

  /** Which database files are missing, without loading anything (for a startup log). */
  missing(): string[] {
    return [this.files.country, this.files.asnV4, this.files.asnV6].filter((f) => !existsSync(f));
  }

  /** Loads the databases (once; every caller gets the same promise). Never rejects. */
  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    const t0 = performance.now();
    try {
      if (!existsSync(this.files.country)) this.problem("ENRICH_DB_MISSING", `country database missing: ${this.files.country}`);
      else this.country = new Reader(readFileSync(this.files.country));
    } catch (e) {
      this.problem("ENRICH_DB_INVALID", `country database unreadable: ${this.files.country}: ${(e as Error).message}`);
    }
    try {
      const gone = [this.files.asnV4, this.files.asnV6].filter((f) => !existsSync(f));
      if (gone.length) this.problem("ENRICH_DB_MISSING", `ASN database missing: ${gone.join(", ")}`);
      else this.asn = await AsnTable.load(this.files.asnV4, this.files.asnV6);
    } catch (e) {
      this.problem("ENRICH_DB_INVALID", `ASN database unreadable: ${this.files.asnV4}: ${(e as Error).message}`);
    }
    this.loadMs = performance.now() - t0;
    this.loaded = true;
  }

  private problem(code: EnrichError["code"], detail: string): void {
    this.problems.push({ code, detail });
  }

  /**
   * An address or a prefix (its first address); `undefined` for text that is neither, or when
   * nothing is known (private and reserved ranges).
   */
  lookup(text: unknown): Enrichment | undefined {
    this.counters.lookups++;
    if (typeof text !== "string" || text.length === 0 || text.length > 64) return void this.counters.bad_input++;
    const hit = this.cache.get(text);
    if (hit !== undefined) {
      this.counters.cache_hits++;
      return hit === NOTHING ? undefined : hit;
    }
    const p = parseAddress(text);
    if (!p.ok) return void this.counters.bad_input++;
    if (!this.loaded) {
      void this.ready();
      return void this.counters.not_ready++;
    }
    const e = (reserved(p.value, text) ? undefined : this.resolve(p.value)) ?? NOTHING;
    this.cache.set(text, e);
    return e === NOTHING ? undefined : e;
  }

  private resolve(ip: IpAddr): Enrichment | undefined {
    const out: Enrichment = {};
    try {
      // ip-location-db's country format: { country_code: "DE" } (not MaxMind's nested record).
      const c = (this.country?.get(formatIp(ip.family, ip.bytes)) as { country_code?: unknown } | null | undefined)?.country_code;
      if (typeof c === "string" && COUNTRY.test(c)) out.country = c;
    } catch {
      // The reader throws only on address text it cannot parse; ours is canonical.
    }
    const a = this.asn?.lookup(ip);
    // AS 0 marks unrouted space (RFC 7607): not an origin.
    if (a && a.asn !== 0) (out.asn = a.asn), (out.org = a.org);
    if (out.country === undefined && out.asn === undefined) return undefined;
    this.counters.found++;
    return out;
  }

  status(): EnrichStatus {
    const size = this.asn?.size ?? { v4: 0, v6: 0, asns: 0 };
    return {
      loaded: this.loaded,
      problems: [...this.problems],
      load_ms: Math.round(this.loadMs),
      ranges: { ...size, dropped: this.asn?.dropped ?? 0 },
      counters: { ...this.counters },
    };
  }
}
