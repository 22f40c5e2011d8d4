import { useState } from "preact/hooks";
import { REASON_NAMES, type ReasonName } from "../api/types.ts";
import { TTL_CHOICES } from "../ui/format.ts";
import type { banActions } from "./ban-actions.ts";

const OPERATOR_REASONS = REASON_NAMES.filter((r) => r !== "MANUAL" && r !== "MESH");

/** Blocks an address or prefix by hand (a MANUAL decision, optionally with more reasons). */
export function BlockForm({ actions, onDone }: { actions: ReturnType<typeof banActions>; onDone: (value: string) => void }) {
  const [value, setValue] = useState("");
  const [ttl, setTtl] = useState(86_400);
  const [reason, setReason] = useState<ReasonName | "">("");
  const [note, setNote] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    if (await actions.block(v, ttl, reason ? ["MANUAL", reason] : ["MANUAL"], note.trim())) {
      setValue("");
      setNote("");
      onDone(v);
    }
  };
  return (
    <form class="block-form" onSubmit={submit} aria-label="Block an address">
      <input name="address" class="mono" placeholder="address or CIDR, e.g. 203.0.113.7" aria-label="Address or CIDR" value={value} onInput={(e) => setValue(e.currentTarget.value)} required maxLength={64} />
      <select aria-label="Duration" value={ttl} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
        {TTL_CHOICES.map((c) => (
          <option key={c.s} value={c.s}>
            {c.label}
          </option>
        ))}
      </select>
      <select aria-label="Extra reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as ReasonName | "")}>
        <option value="">manual</option>
        {OPERATOR_REASONS.map((r) => (
          <option key={r} value={r}>
            manual + {r.toLowerCase()}
          </option>
        ))}
      </select>
      <input name="note" placeholder="note (evidence)" aria-label="Note" value={note} onInput={(e) => setNote(e.currentTarget.value)} maxLength={200} />
      <button type="submit" class="btn btn-danger">
        Block
      </button>
    </form>
  );
}
