import { uuid5 } from "../feeds-out/formats.ts";
import { STIX_TYPE } from "./media.ts";

/** What a collection holds, as a filter on enforcerd's active bans. */
export interface CollectionFilter {
  verifiedOnly: boolean;
  /** Only bans decided by this node (not received from mesh peers). */
  localOnly: boolean;
}

export interface CollectionDef {
  id: string;
  alias: string;
  title: string;
  description: string;
  filter: CollectionFilter;
}

/**
 * The node's read-only collections: the indicators of /v1/feeds/stix (active bans, lists imported
 * from [feeds.*] left out, whose licence may not allow passing them on), whole and narrowed.
 * Ids are name-based UUIDs, stable for a node across restarts.
 */
export function collectionsOf(nodeId: string): CollectionDef[] {
  const def = (alias: string, title: string, description: string, filter: CollectionFilter): CollectionDef => ({ id: uuid5(`taxii-collection:${nodeId}:${alias}`), alias, title, description, filter });
  return [
    def("bans", `HoneyMesh ${nodeId}: active bans`, "Every active ban of this node (its own and its mesh peers'), one STIX 2.1 indicator each; imported blocklists left out.", { verifiedOnly: false, localOnly: false }),
    def("verified", `HoneyMesh ${nodeId}: verified bans`, "Active bans resting on verified evidence (a completed handshake or application data), not on spoofable packets only.", { verifiedOnly: true, localOnly: false }),
    def("local-verified", `HoneyMesh ${nodeId}: verified bans decided here`, "Verified active bans this node decided itself from its own traps, scans and logs.", { verifiedOnly: true, localOnly: true }),
  ];
}

/** The collection resource (TAXII 2.1 §5.2.1): read-only. */
export function collectionResource(c: CollectionDef) {
  return { id: c.id, title: c.title, description: c.description, alias: c.alias, can_read: true, can_write: false, media_types: [STIX_TYPE] };
}
