import { runService, VERSION } from "@honeymesh/runtime/service";
import { startApid } from "./wiring.ts";

// apid: the operator's REST API (DESIGN §7). Writes go over the bus to their owners; reads open
// the owners' SQLite files read-only.
await runService("apid", { start: (ctx) => startApid(ctx, VERSION) });
