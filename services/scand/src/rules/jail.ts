import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { JailFailure } from "@honeymesh/schema/logd";
import type { Finding } from "./types.ts";

/**
 * A logd jail reached maxretry for an address. The kernel has seven reason slots (bpf/honeymesh.h
 * HM_REASON_BITS, per-reason drop/would-drop counters 2..15); a jail ban takes EXTERNAL, the
 * reason Fail2Ban's own action already feeds in, with evidence kind `jail` naming the jail, so
 * no kernel ABI change is needed and the evidence still says which jail and how many failures.
 */
export function jailFinding(f: JailFailure): Finding {
  return {
    reasons: REASONS.EXTERNAL,
    evidence: evidence("jail", f.summary || `${f.jail}: ${f.count} failures in ${Math.round(f.window_s)} s`, { jail: f.jail, count: f.count, window_s: f.window_s }),
  };
}
