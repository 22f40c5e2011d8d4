import type { Confidence } from "@honeymesh/ban/confidence";
import type { Evidence } from "@honeymesh/ban/evidence";

/** What a rule concludes: the reason bits and a structured evidence item (with a sentence for people). */
export interface Finding {
  reasons: number;
  evidence: Evidence;
  /** Absent = verified (trap hits and sessions: trapd only sees completed handshakes). */
  confidence?: Confidence;
}
