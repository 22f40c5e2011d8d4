import { useEffect, useState } from "preact/hooks";
import { BansView } from "./bans/bans-view.tsx";
import { ExportView } from "./export/export-view.tsx";
import { LiveView } from "./live/live-view.tsx";
import { MeshView } from "./mesh/mesh-view.tsx";
import { OverviewView } from "./overview/overview-view.tsx";
import { LoginView, Logo } from "./session/login-view.tsx";
import { logout, session, type Session } from "./session/session.ts";
import { SourceView } from "./source/source-view.tsx";
import { Dot } from "./ui/badge.tsx";
import { ConfirmHost } from "./ui/confirm.tsx";
import { useSignal } from "./ui/signal.ts";
import { ToastHost } from "./ui/toast.tsx";

const VIEWS = {
  overview: { label: "Overview", view: OverviewView },
  live: { label: "Live", view: LiveView },
  bans: { label: "Bans", view: BansView },
  mesh: { label: "Mesh", view: MeshView },
  export: { label: "Export", view: ExportView },
} as const;
type ViewName = keyof typeof VIEWS;

// The route lives in the fragment (#/bans, #/source/203.0.113.7): never sent to the server, never
// holds the token. A source is a drill-down of the bans (its tab stays lit).
type Route = { view: ViewName; source?: string };
function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, "");
  if (name.startsWith("source/")) {
    let source = name.slice(7);
    try {
      source = decodeURIComponent(source);
    } catch {
      // shown as typed; apid says why it is not an address
    }
    return { view: "bans", source: source.slice(0, 64) };
  }
  return { view: name in VIEWS ? (name as ViewName) : "overview" };
}

function useRoute(): Route {
  const [route, setRoute] = useState(routeOf(location.hash));
  useEffect(() => {
    const on = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

function Shell({ s }: { s: Session }) {
  const { view: route, source } = useRoute();
  const stream = useSignal(s.stream);
  const View = VIEWS[route].view;
  useEffect(() => {
    document.title = `${source ?? VIEWS[route].label} · HoneyMesh ${s.who.node}`;
  }, [route, source]);
  return (
    <div class="shell" data-scope={s.who.scope}>
      <header class="top">
        <a class="brand" href="#/overview">
          <Logo /> HoneyMesh
        </a>
        <span class="node mono" title="node id">
          {s.who.node}
        </span>
        <nav class="tabs" aria-label="Views">
          {(Object.keys(VIEWS) as ViewName[]).map((v) => (
            <a key={v} href={`#/${v}`} class={v === route ? "on" : ""} aria-current={v === route ? "page" : undefined}>
              {VIEWS[v].label}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        <span class="live-dot" title={`stream ${stream}`}>
          <Dot tone={stream === "live" ? "ok" : "warn"} />
        </span>
        <span class="who" data-testid="who">
          {s.who.name} <span class={`scope scope-${s.who.scope}`}>{s.who.scope === "read" ? "read-only" : s.who.scope}</span>
        </span>
        <button type="button" class="btn btn-ghost" onClick={logout}>
          Log out
        </button>
      </header>
      <main class="main">
        {source !== undefined ? <SourceView s={s} arg={source} /> : <View s={s} />}
      </main>
    </div>
  );
}

export function App() {
  const s = useSignal(session);
  return (
    <>
      {s ? <Shell s={s} /> : <LoginView />}
      <ConfirmHost />
      <ToastHost />
    </>
  );
}
