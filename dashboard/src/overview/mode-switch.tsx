import { MODES, type Mode } from "../api/types.ts";
import type { Session } from "../session/session.ts";
import { isAdmin } from "../session/session.ts";
import { act } from "../bans/ban-actions.ts";

const EFFECT: Record<Mode, string> = {
  test: "Bans are recorded and counted, but no packet is dropped.",
  enforce: "Packets from banned addresses are dropped in the kernel.",
  lockdown: "Everything that is not allowlisted is dropped, including traffic you may need.",
};

/** The enforcement mode, with a confirmed switch for admin tokens (PUT /v1/mode needs admin). */
export function ModeSwitch({ s, mode, onChanged }: { s: Session; mode: Mode | null; onChanged: () => void }) {
  const admin = isAdmin(s.who);
  const pick = async (m: Mode) => {
    if (m === mode) return;
    const ok = await act(`Switch to ${m}`, `Switch enforcement from ${mode ?? "unknown"} to ${m.toUpperCase()}? ${EFFECT[m]}`, `Switch to ${m}`, () => s.api.setMode(m), m !== "enforce");
    if (ok) onChanged();
  };
  return (
    <div class="mode">
      <div class={`mode-now mode-${mode ?? "unknown"}`} data-testid="mode">
        {mode ?? "unknown"}
      </div>
      <p class="muted small">{mode ? EFFECT[mode] : "enforcerd has not reported a mode yet."}</p>
      {admin ? (
        <div class="segmented" role="group" aria-label="Switch enforcement mode">
          {MODES.map((m) => (
            <button key={m} type="button" class={m === mode ? "on" : ""} aria-pressed={m === mode} onClick={() => void pick(m)}>
              {m}
            </button>
          ))}
        </div>
      ) : s.who.scope === "write" ? (
        <p class="fine">Switching the mode needs an admin token.</p>
      ) : null}
    </div>
  );
}
