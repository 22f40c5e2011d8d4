// Worker thread: blocks in ring_buffer__poll (epoll) on one of the kernel's ring buffers and hands
// each record to the main thread at once. Blocking here costs the main thread nothing, and an event
// is relayed within microseconds instead of waiting for a timer (bench/latency).
//
// Flow control: the worker may hand over only as many records as the main thread has granted
// (`credit`); the main thread grants more as it finishes them. When the main thread falls behind
// (a storm of half a million sources), the worker stops reading, the kernel's ring buffer fills and
// the kernel counts what it cannot write (ringbuf_full): a counted drop in the kernel instead of an
// unbounded queue of messages in this process (bench/storm --sources 500000).
import { RingBuffer } from "@honeymesh/bpf/ringbuf";

declare const self: Worker;

type Msg = { fd: number; credit: number } | { credit: number } | "stop";

let stopping = false;
let credit = 0;

self.onmessage = (e: MessageEvent<Msg>) => {
  if (e.data === "stop") {
    stopping = true;
    return;
  }
  credit += e.data.credit;
  if (!("fd" in e.data)) return;
  const ring = new RingBuffer(e.data.fd, (rec) => {
    postMessage(rec);
    return --credit > 0;
  });
  const loop = () => {
    if (stopping) {
      ring.close();
      postMessage("stopped");
      return;
    }
    if (credit <= 0) {
      setTimeout(loop, 5); // out of credit: the records wait in the kernel's ring
      return;
    }
    try {
      ring.poll(1000);
    } catch (err) {
      postMessage({ error: (err as Error).message });
    }
    // Yield so "stop" and credit messages can be seen between polls.
    setTimeout(loop, 0);
  };
  loop();
};
