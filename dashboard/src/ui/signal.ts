import { useEffect, useState } from "preact/hooks";

/** A value with listeners: the dashboard's only state container (no framework store needed). */
export class Signal<T> {
  private readonly listeners = new Set<(v: T) => void>();

  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  set(v: T): void {
    this.current = v;
    for (const l of this.listeners) l(v);
  }

  subscribe(fn: (v: T) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** The signal's value, re-rendering the component when it changes. */
export function useSignal<T>(s: Signal<T>): T {
  const [, force] = useState(0);
  const rendered = s.value;
  useEffect(() => {
    const off = s.subscribe(() => force((n) => n + 1));
    // Effects run after paint: a change between the render and the subscription (the stream
    // going live right after login) would otherwise stay unseen until something else re-renders.
    if (s.value !== rendered) force((n) => n + 1);
    return off;
  }, [s]);
  return s.value;
}

/** A clock that ticks every `ms` while the component is mounted (countdowns, "seen 3 s ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
