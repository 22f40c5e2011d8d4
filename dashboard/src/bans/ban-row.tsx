import { memo } from "preact/compat";
import type { Ban } from "../api/types.ts";
import { Reasons } from "../ui/badge.tsx";
import { countdown } from "../ui/format.ts";
import { geoOf, geoText } from "../ui/geo.ts";

export const ROW_H = 36;

/** One ban; `now` changes every second, so the countdown is the only moving part. */
export const BanRow = memo(function BanRow({ b, now, selected, local, geo, onSelect }: { b: Ban; now: number; selected: boolean; local: string; geo: boolean; onSelect: (b: Ban) => void }) {
  const gone = b.expires_at === -1;
  const cd = gone ? { text: "unbanned", tone: "gone" as const } : countdown(b.expires_at, now);
  return (
    <div role="row" class={`brow ${selected ? "sel" : ""} ${gone || cd.tone === "gone" ? "is-gone" : ""}`} style={{ height: `${ROW_H}px` }} onClick={() => onSelect(b)} data-value={b.address.text} tabIndex={0} onKeyDown={(e) => e.key === "Enter" && onSelect(b)}>
      <span role="cell" class="mono c-addr">{b.address.text}</span>
      <span role="cell" class="c-reasons">
        <Reasons names={b.reasons} />
      </span>
      <span role="cell" class="c-origin col-opt" title={b.origin}>
        {b.origin === local ? <span class="muted">local</span> : <span>peer {b.origin}</span>}
      </span>
      <span role="cell" class="c-source col-opt">{b.source}</span>
      <span role="cell" class="c-evidence col-opt muted" title={b.evidence.map((e) => e.summary).join("\n")}>
        {b.evidence[0]?.summary ?? ""}
      </span>
      {geo && (
        <span role="cell" class="c-geo col-opt" title={geoText(geoOf(b))}>
          {geoText(geoOf(b))}
        </span>
      )}
      <span role="cell" class={`c-exp mono cd-${cd.tone}`}>{cd.text}</span>
    </div>
  );
});
