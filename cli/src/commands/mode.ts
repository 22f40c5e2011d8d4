import type { ModeState } from "@honeymesh/api/allowlist";
import type { ApiClient } from "../api/client.ts";
import type { OutputFormat } from "../args.ts";
import { CliError } from "../errors.ts";
import { fail, isProblem, printOut } from "./api-output.ts";

const MODES = ["test", "enforce", "lockdown"] as const;

/** `honeymesh mode [test|enforce|lockdown]`: GET or PUT /v1/mode (switching needs an admin token). */
export async function modeCommand(api: ApiClient, want: string | undefined, out: OutputFormat): Promise<number> {
  if (want !== undefined && !(MODES as readonly string[]).includes(want)) throw new CliError("USAGE", `mode ${want}: expected one of ${MODES.join(", ")}`);
  if (want !== undefined) {
    const r = await api.call<unknown>("PUT", "/v1/mode", { mode: want });
    if (isProblem(r)) return fail(r);
  }
  const r = await api.call<ModeState>("GET", "/v1/mode");
  if (isProblem(r)) return fail(r);
  if (out !== "table") printOut(r.data, out);
  else process.stdout.write(`enforcement mode: ${r.data.mode ?? "unknown (enforcerd has not reported)"}${r.data.source ? ` (set by ${r.data.source})` : ""}\n`);
  return 0;
}
