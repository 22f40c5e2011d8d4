import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "../../packages/tables/src/logd.ts",
  out: "./drizzle",
});
