import { readJsonLines } from "@honeymesh/jsonl/read";
import type { Subprocess } from "bun";

export interface BusEvent {
  topic: string;
  d: Record<string, unknown>;
}

/** Collects the JSON lines of a `__watch` process and lets the demo wait on them. */
export class EventStream {
  readonly events: BusEvent[] = [];
  private listeners: ((e: BusEvent) => void)[] = [];

  constructor(proc: Subprocess<"ignore", "pipe", "ignore" | "inherit">) {
    void this.read(proc.stdout);
  }

  onEvent(fn: (e: BusEvent) => void): void {
    this.listeners.push(fn);
  }

  private read(stream: ReadableStream<Uint8Array>): Promise<void> {
    return readJsonLines<BusEvent>(stream, (e) => {
      // Bounded: the demo only needs recent history.
      if (this.events.length > 10_000) this.events.splice(0, 5_000);
      this.events.push(e);
      for (const l of this.listeners) l(e);
    });
  }

  async waitFor(pred: (e: BusEvent) => boolean, timeoutMs: number): Promise<BusEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      await Bun.sleep(50);
    }
    return undefined;
  }
}
