import type { ComponentChildren } from "preact";

export type Tone = "neutral" | "info" | "ok" | "warn" | "danger" | "accent";

export function Badge({ tone = "neutral", children, title }: { tone?: Tone; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const REASON_TONE: Record<string, Tone> = { TRAP: "danger", SCAN: "warn", MESH: "info", MANUAL: "accent", ENTROPY: "warn", BRUTEFORCE: "danger", EXTERNAL: "neutral" };

export function Reasons({ names }: { names: readonly string[] }) {
  return (
    <span class="badges">
      {names.map((n) => (
        <Badge key={n} tone={REASON_TONE[n] ?? "neutral"}>
          {n.toLowerCase()}
        </Badge>
      ))}
    </span>
  );
}

export function Dot({ tone }: { tone: Tone }) {
  return <span class={`dot dot-${tone}`} aria-hidden="true" />;
}
