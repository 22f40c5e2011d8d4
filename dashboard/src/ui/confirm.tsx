import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Signal, useSignal } from "./signal.ts";

interface Ask {
  title: string;
  body: ComponentChildren;
  confirm: string;
  danger?: boolean;
  resolve: (ok: boolean) => void;
}

const current = new Signal<Ask | null>(null);

/** Asks the operator to confirm an action; resolves false on cancel or Escape. */
export function confirmAction(title: string, body: ComponentChildren, confirm: string, danger = false): Promise<boolean> {
  current.value?.resolve(false);
  return new Promise((resolve) => current.set({ title, body, confirm, danger, resolve }));
}

export function ConfirmHost() {
  const ask = useSignal(current);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (ask && !d.open) d.showModal();
    if (!ask && d.open) d.close();
  }, [ask]);
  const done = (ok: boolean) => {
    ask?.resolve(ok);
    current.set(null);
  };
  return (
    <dialog ref={ref} class="confirm" onCancel={(e) => (e.preventDefault(), done(false))} aria-labelledby="confirm-title">
      {ask && (
        <form method="dialog" onSubmit={(e) => (e.preventDefault(), done(true))}>
          <h2 id="confirm-title">{ask.title}</h2>
          <div class="confirm-body">{ask.body}</div>
          <div class="row-end">
            <button type="button" class="btn" onClick={() => done(false)}>
              Cancel
            </button>
            <button type="submit" class={`btn ${ask.danger ? "btn-danger" : "btn-primary"}`} autofocus data-testid="confirm">
              {ask.confirm}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
