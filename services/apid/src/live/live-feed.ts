import { Counters } from "@honeymesh/bus/counters";

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  kinds: Set<string>;
  /** The token the stream was opened with: revoking or expiring it ends the stream. */
  owner: string;
}

const enc = new TextEncoder();

/**
 * Server-Sent Events fan-out (WHATWG HTML §9.2). Each client has a bounded queue (the stream's
 * high-water mark): an event for a client whose queue is full is dropped for that client and
 * counted, so one slow reader never grows apid's memory or slows the others.
 */
export class LiveFeed {
  readonly counters = new Counters<"sent" | "dropped" | "refused">();
  private readonly clients = new Set<Client>();
  private seq = 0;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly maxClients: number,
    private readonly queue: number,
  ) {
    // A comment line keeps proxies from closing an idle stream.
    this.heartbeat = setInterval(() => this.broadcast(enc.encode(": keep-alive\n\n"), undefined), 15_000);
    this.heartbeat.unref?.();
  }

  get size(): number {
    return this.clients.size;
  }

  /** A stream for one client, or undefined when the client limit is reached. */
  open(kinds: Set<string>, owner = ""): ReadableStream<Uint8Array> | undefined {
    if (this.clients.size >= this.maxClients) {
      this.counters.inc("refused");
      return undefined;
    }
    let client: Client | undefined;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = { controller, kinds, owner };
          this.clients.add(client);
          controller.enqueue(enc.encode(`retry: 2000\n: connected\n\n`));
        },
        cancel: () => {
          if (client) this.clients.delete(client);
        },
      },
      new CountQueuingStrategy({ highWaterMark: this.queue }),
    );
  }

  publish(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const id = ++this.seq;
    this.broadcast(enc.encode(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`), event);
  }

  private broadcast(chunk: Uint8Array, event: string | undefined): void {
    for (const c of this.clients) {
      if (event && c.kinds.size > 0 && !c.kinds.has(event)) continue;
      if ((c.controller.desiredSize ?? 0) <= 0) {
        this.counters.inc("dropped");
        continue;
      }
      try {
        c.controller.enqueue(chunk);
        this.counters.inc("sent");
      } catch {
        this.clients.delete(c);
      }
    }
  }

  /** Ends the streams whose token is no longer live (revoked now, or expired since); returns how many. */
  closeWhere(dead: (owner: string) => boolean): number {
    let n = 0;
    for (const c of this.clients) {
      if (!dead(c.owner)) continue;
      this.clients.delete(c);
      n++;
      try {
        c.controller.close();
      } catch {
        // already closed by the client
      }
    }
    return n;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) {
      try {
        c.controller.close();
      } catch {
        // already closed by the client
      }
    }
    this.clients.clear();
  }
}
