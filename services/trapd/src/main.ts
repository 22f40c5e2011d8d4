import { runService } from "@honeymesh/runtime/service";

// The platform skeleton: trapd runs, connects with its own key and reports health.
// Its real work arrives with its own issue; until then health says so plainly.
await runService("trapd", {
  async start() {
    return { health: () => ({ status: "ok", details: { capability: "skeleton" } }) };
  },
});
