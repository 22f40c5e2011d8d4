import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { markUpdate, useRenderTiming } from "../ui/perf.ts";

/**
 * A windowed list: only the rows in view (plus a margin) exist in the DOM, whatever the count,
 * so 100 000 bans cost the same to render as 30. Rows have a fixed height.
 */
export function VirtualRows<T>({ items, rowHeight, render, onNearEnd, footer }: { items: T[]; rowHeight: number; render: (item: T, index: number) => ComponentChildren; onNearEnd: () => void; footer?: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  useRenderTiming("scroll", "scroll");
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const margin = 8;
  const first = Math.max(0, Math.floor(top / rowHeight) - margin);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + margin);
  useEffect(() => {
    if (last + 200 >= items.length) onNearEnd();
  }, [last, items.length]);
  const slice: ComponentChildren[] = [];
  for (let i = first; i < last; i++) slice.push(render(items[i]!, i));
  return (
    <div class="vscroll" ref={ref} onScroll={(e) => (markUpdate("scroll"), setTop(e.currentTarget.scrollTop))}>
      <div style={{ height: `${items.length * rowHeight}px`, position: "relative" }}>
        <div style={{ transform: `translateY(${first * rowHeight}px)` }}>{slice}</div>
      </div>
      {footer}
    </div>
  );
}
