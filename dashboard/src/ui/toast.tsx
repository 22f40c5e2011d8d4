import { Signal, useSignal } from "./signal.ts";

export interface Toast {
  id: number;
  tone: "ok" | "warn" | "danger";
  title: string;
  detail?: string;
}

const toasts = new Signal<Toast[]>([]);
let next = 0;

/** Shows the result of an operator action; kept on screen for 6 s (errors 10 s). */
export function toast(tone: Toast["tone"], title: string, detail?: string): void {
  const t = { id: ++next, tone, title, detail };
  toasts.set([...toasts.value.slice(-4), t]);
  setTimeout(() => toasts.set(toasts.value.filter((x) => x.id !== t.id)), tone === "danger" ? 10_000 : 6_000);
}

export function ToastHost() {
  const list = useSignal(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.tone}`} data-testid="toast">
          <strong>{t.title}</strong>
          {t.detail && <span>{t.detail}</span>}
        </div>
      ))}
    </div>
  );
}
