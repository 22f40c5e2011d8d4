import { runService } from "@honeymesh/runtime/service";

// The platform skeleton: apid runs, connects with its own key and reports health.
// Its real work arrives with its own issue; until then health says so plainly.
await runService("apid", {
  async start() {
    return { health: () => ({ status: "ok", details: { capability: "skeleton" } }) };
  },
});
