import { Elysia, t } from "elysia";
import type { TSchema } from "@sinclair/typebox";
import { TaxiiApiRoot, TaxiiCollection, TaxiiCollections, TaxiiDiscovery, TaxiiEnvelope, TaxiiErrorMessage, TaxiiManifest } from "@honeymesh/api/taxii";
import { needs } from "../auth/scope.ts";
import { identityObject, indicatorId, stixIndicator } from "../feeds-out/formats.ts";
import type { OwnerDb } from "../read/owner-db.ts";
import { collectionResource, collectionsOf, type CollectionDef } from "./collections.ts";
import { acceptsTaxii, STIX_TYPE, TAXII_TYPE } from "./media.ts";
import { ObjectSource, type AddedRow } from "./object-source.ts";
import { encodeNext, parseObjectQuery, type ObjectQuery } from "./query.ts";
import { taxiiError } from "./taxii-error.ts";

/** What indicatorId() makes: `indicator--` and a UUID (RFC 9562 text form, lower case). */
const INDICATOR_ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const API_ROOT = "honeymesh";
const ROOT = `/taxii2/${API_ROOT}`;
const iso = (ms: number) => new Date(ms).toISOString();

function reply(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { headers: { ...headers, "content-type": TAXII_TYPE, vary: "Accept", "cache-control": "no-store" } });
}

/** §1.6.8: a client whose Accept admits no TAXII 2.1 answer gets 406, before any work. */
const notAcceptable = () => taxiiError(406, "Not Acceptable", `this server answers ${TAXII_TYPE} only (Accept: ${TAXII_TYPE})`);

/**
 * A read-only TAXII 2.1 server (OASIS TAXII 2.1 §4 and §5) over the same STIX indicators as
 * /v1/feeds/stix: discovery, one API root, its collections, their objects (envelopes with
 * `more`/`next`), one object, and the manifest. Read tokens, as Bearer or as a Basic password.
 */
export function taxiiRoutes(enforcerDb: OwnerDb, nodeId: string, maxContentLength: number) {
  const source = new ObjectSource(enforcerDb, nodeId);
  const collections = collectionsOf(nodeId);
  const identityId = identityObject(nodeId, 0).id as string;
  const find = (id: string) => collections.find((c) => c.id === id || c.alias === id);
  const detail = (summary: string) => ({ ...needs("read", { basic: true }), summary, tags: ["taxii"] });
  // Documented for /docs; the handlers answer Response objects (their own media type), not validated again.
  const E = TaxiiErrorMessage;
  const answers = (ok: TSchema) => ({ 200: ok, 400: E, 401: E, 403: E, 404: E, 406: E, 429: E });

  /** One id scan at a time: it reads every active ban, so a second one waits its turn as a 429. */
  let scanning = false;

  /** The page a query asks for: SQL keyset paging, or one bounded scan when it filters on ids (undefined: a scan is running). */
  async function select(c: CollectionDef, q: ObjectQuery, only?: string): Promise<{ rows: AddedRow[]; more: boolean } | undefined> {
    const typeOk = !q.types || q.types.includes("indicator");
    const specOk = !q.specVersions || q.specVersions.includes("2.1");
    if (!typeOk || !specOk) return { rows: [], more: false };
    const ids = only ? [only] : q.ids;
    if (ids) {
      const want = new Set(ids);
      const c0 = q.cursor;
      const after = (r: AddedRow) => !c0 || r.added > c0.added || (r.added === c0.added && r.values[1] > c0.address);
      // Only the id is hashed per row (one SHA-1); `modified` is the date added. Bounded: at most 100 ids.
      const keep = (r: AddedRow) => want.has(indicatorId(r.values[1], r.values[5])) && (!q.versions || q.versions.includes(r.added)) && after(r);
      // An id that is not an indicator's form can match nothing: no scan for it.
      if (![...want].some((i) => INDICATOR_ID.test(i))) return { rows: [], more: false };
      if (scanning) return undefined;
      scanning = true;
      try {
        const all = await source.scan(c.filter, q.addedAfter, keep, want.size);
        return { rows: all.slice(0, q.limit), more: all.length > q.limit };
      } finally {
        scanning = false;
      }
    }
    const rows = source.page(c.filter, { addedAfter: q.addedAfter, cursor: q.cursor, limit: q.limit + 1, versions: q.versions });
    return { rows: rows.slice(0, q.limit), more: rows.length > q.limit };
  }

  /** Parses the query and picks the page; or the 400/404 to answer. */
  async function pageFor(request: Request, id: string, only?: string): Promise<Response | { rows: AddedRow[]; more: boolean; headers: Record<string, string>; page: Record<string, unknown> }> {
    const c = find(id);
    if (!c) return taxiiError(404, "Not Found", `no collection ${id.slice(0, 80)} in API root ${API_ROOT}`);
    const q = parseObjectQuery(request.url);
    if ("error" in q) return taxiiError(400, "Bad Request", q.error);
    const picked = await select(c, q, only);
    if (!picked) return taxiiError(429, "Too Many Requests", "another lookup by object id is running; retry shortly", { "retry-after": "1" });
    const { rows, more } = picked;
    const headers: Record<string, string> = {};
    const page: Record<string, unknown> = { more };
    if (rows.length > 0) {
      headers["X-TAXII-Date-Added-First"] = iso(rows[0]!.added);
      headers["X-TAXII-Date-Added-Last"] = iso(rows[rows.length - 1]!.added);
      const last = rows[rows.length - 1]!;
      if (more) page.next = encodeNext({ added: last.added, address: last.values[1] });
    }
    return { rows, more, headers, page };
  }

  const guarded = (request: Request, fn: () => Response | Promise<Response>) => (acceptsTaxii(request.headers.get("accept")) ? fn() : notAcceptable());
  /** An envelope of `rows` as `item` draws each (objects, or manifest entries); `objects` only when there are any (§3.7). */
  const envelope = async (request: Request, id: string, item: (r: AddedRow) => Record<string, unknown>) => {
    const p = await pageFor(request, id);
    if (p instanceof Response) return p;
    return reply(p.rows.length ? { ...p.page, objects: p.rows.map(item) } : p.page, p.headers);
  };
  const Id = t.String({ maxLength: 128 });

  return new Elysia({ name: "taxii", normalize: false })
    .get("/taxii2/", ({ request }) => guarded(request, () => reply({ title: `HoneyMesh node ${nodeId}`, description: "Read-only TAXII 2.1 server of a HoneyMesh node: its bans as STIX 2.1 indicators.", default: `${new URL(request.url).origin}${ROOT}/`, api_roots: [`${new URL(request.url).origin}${ROOT}/`] })), {
      response: answers(TaxiiDiscovery),
      detail: detail("TAXII 2.1 server discovery (§4.1)"),
    })
    .get(`${ROOT}/`, ({ request }) => guarded(request, () => reply({ title: `HoneyMesh node ${nodeId}`, description: "The node's bans as STIX 2.1 indicators, in read-only collections.", versions: [TAXII_TYPE], max_content_length: maxContentLength })), {
      response: answers(TaxiiApiRoot),
      detail: detail("TAXII 2.1 API root information (§4.2)"),
    })
    .get(`${ROOT}/collections/`, ({ request }) => guarded(request, () => reply({ collections: collections.map(collectionResource) })), { response: answers(TaxiiCollections), detail: detail("TAXII 2.1 collections (§5.1)") })
    .get(
      `${ROOT}/collections/:id/`,
      ({ request, params }) =>
        guarded(request, () => {
          const c = find(params.id);
          return c ? reply(collectionResource(c)) : taxiiError(404, "Not Found", `no collection ${params.id.slice(0, 80)} in API root ${API_ROOT}`);
        }),
      { params: t.Object({ id: Id }), response: answers(TaxiiCollection), detail: detail("One TAXII 2.1 collection (§5.2)") },
    )
    .get(
      `${ROOT}/collections/:id/objects/`,
      ({ request, params }) =>
        guarded(request, () => envelope(request, params.id, (r) => stixIndicator(r.values, identityId))),
      { params: t.Object({ id: Id }), response: answers(TaxiiEnvelope), detail: detail("TAXII 2.1 get objects: an envelope, oldest first, with more/next (§5.3)") },
    )
    .get(
      `${ROOT}/collections/:id/objects/:object_id/`,
      ({ request, params }) =>
        guarded(request, async () => {
          const p = await pageFor(request, params.id, params.object_id);
          if (p instanceof Response) return p;
          if (p.rows.length === 0) return taxiiError(404, "Not Found", `no object ${params.object_id.slice(0, 80)} in collection ${params.id.slice(0, 80)}`);
          return reply({ ...p.page, objects: p.rows.map((r) => stixIndicator(r.values, identityId)) }, p.headers);
        }),
      { params: t.Object({ id: Id, object_id: Id }), response: answers(TaxiiEnvelope), detail: detail("TAXII 2.1 get one object (§5.5)") },
    )
    .get(
      `${ROOT}/collections/:id/manifest/`,
      ({ request, params }) =>
        // A version is the date added (`modified` is MAX(created, updated), as `added`): no indicator is built.
        guarded(request, () => envelope(request, params.id, (r) => ({ id: indicatorId(r.values[1], r.values[5]), date_added: iso(r.added), version: iso(r.added), media_type: STIX_TYPE }))),
      { params: t.Object({ id: Id }), response: answers(TaxiiManifest), detail: detail("TAXII 2.1 manifest of a collection (§5.4)") },
    );
}
