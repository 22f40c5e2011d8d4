import { defineConfig } from "drizzle-kit";

// apid's second store, apid-history.sqlite: per-minute history, apart from the tokens so that
// pruning and rewriting history never touches credentials.
export default defineConfig({
  dialect: "sqlite",
  schema: "../../packages/tables/src/apid-history.ts",
  out: "./drizzle-history",
});
