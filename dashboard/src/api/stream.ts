import type { Api } from "./client.ts";
import { SseParser } from "./sse.ts";
import type { LiveEvent } from "./types.ts";

export type StreamState = "connecting" | "live" | "retrying" | "closed";

/**
 * `/v1/stream` read with fetch() so the bearer token goes in a header (EventSource cannot send
 * one, and a token in the URL would leak into logs). Reconnects with capped backoff until closed.
 */
export class LiveStream {
  private abort = new AbortController();
  private closed = false;
  private seq = 0;

  constructor(
    private readonly api: Api,
    private readonly onEvent: (e: LiveEvent) => void,
    private readonly onState: (s: StreamState) => void,
  ) {
    void this.run();
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.closed) {
      this.onState("connecting");
      try {
        const r = await this.api.raw("GET", "/v1/stream", undefined, this.abort.signal);
        if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
        this.onState("live");
        backoff = 500;
        const parser = new SseParser((m) => this.dispatch(m.event, m.data));
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        // network error or abort: fall through to the retry below
      }
      if (this.closed) break;
      this.onState("retrying");
      await new Promise((res) => setTimeout(res, backoff));
      backoff = Math.min(backoff * 2, 10_000);
    }
    this.onState("closed");
  }

  private dispatch(event: string, data: string): void {
    if (event !== "hit" && event !== "decision" && event !== "ban") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof parsed !== "object" || parsed === null) return;
    this.onEvent({ kind: event, id: ++this.seq, received: Date.now(), data: parsed } as LiveEvent);
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
  }
}
