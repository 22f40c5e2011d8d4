import { runService } from "@honeymesh/runtime/service";

await runService("enforcerd", {
  async start() {
    return { health: () => ({ status: "ok", details: { capability: "skeleton" } }) };
  },
});
