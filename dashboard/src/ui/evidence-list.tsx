import type { Ban } from "../api/types.ts";

/** A ban's evidence items, one line each, as the ban detail and the source view show them. */
export function EvidenceList({ items }: { items: Ban["evidence"] }) {
  return (
    <ul class="evidence">
      {items.map((e, i) => (
        <li key={i} class="mono" data-kind={e.kind}>
          {e.summary}
        </li>
      ))}
    </ul>
  );
}
