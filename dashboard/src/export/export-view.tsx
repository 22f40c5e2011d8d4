import { useState } from "preact/hooks";
import type { Session } from "../session/session.ts";
import { bytes } from "../ui/format.ts";
import { Panel } from "../ui/panel.tsx";
import { toast } from "../ui/toast.tsx";

type Format = "json" | "csv" | "ndjson";
const FORMATS: Format[] = ["json", "csv", "ndjson"];

/** The file name apid proposes (RFC 6266 Content-Disposition), or a fallback. */
function fileName(r: Response, kind: string, format: Format): string {
  const m = /filename="([^"]{1,200})"/.exec(r.headers.get("content-disposition") ?? "");
  return m?.[1] ?? `honeymesh-${kind}.${format}`;
}

/**
 * Downloads go through fetch (the token rides in the header, not in a link) into a Blob that is
 * then saved with a temporary object URL.
 */
async function download(s: Session, kind: "bans" | "events", format: Format, state: string, progress: (n: number) => void): Promise<void> {
  const r = await s.api.raw("GET", `/v1/export?kind=${kind}&format=${format}${kind === "bans" ? `&state=${state}` : ""}`);
  if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = r.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
    progress(n);
  }
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: r.headers.get("content-type") ?? "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName(r, kind, format);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportCard({ s, kind, title, text }: { s: Session; kind: "bans" | "events"; title: string; text: string }) {
  const [state, setState] = useState("active");
  const [busy, setBusy] = useState<{ format: Format; n: number } | null>(null);
  const run = async (format: Format) => {
    setBusy({ format, n: 0 });
    try {
      await download(s, kind, format, state, (n) => setBusy({ format, n }));
      toast("ok", `Exported ${kind} as ${format.toUpperCase()}`);
    } catch (e) {
      toast("danger", `Export failed`, (e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Panel title={title}>
      <p class="muted">{text}</p>
      {kind === "bans" && (
        <label class="inline">
          Bans{" "}
          <select value={state} onChange={(e) => setState(e.currentTarget.value)} aria-label="Which bans">
            <option value="active">active</option>
            <option value="expired">expired</option>
            <option value="all">all</option>
          </select>
        </label>
      )}
      <div class="row">
        {FORMATS.map((f) => (
          <button key={f} type="button" class="btn" disabled={busy !== null} onClick={() => void run(f)} data-export={`${kind}-${f}`}>
            {busy?.format === f ? `${bytes(busy.n)}…` : f.toUpperCase()}
          </button>
        ))}
      </div>
    </Panel>
  );
}

export function ExportView({ s }: { s: Session }) {
  return (
    <div class="view view-export grid-2">
      <ExportCard s={s} kind="bans" title="Bans" text="Every ban with its reasons, origin, source, offence count, expiry and evidence. CSV joins reasons with | and keeps evidence as JSON." />
      <ExportCard s={s} kind="events" title="Trap sessions" text="Closed trap sessions: source, service, credentials, commands, entropy and the first bytes received (base64)." />
    </div>
  );
}
