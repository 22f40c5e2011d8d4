// Worker thread: blocks in ring_buffer__poll (epoll) on the kernel's scan-event ring buffer and
// hands each record to the main thread at once. Blocking here costs the main thread nothing, and
// an event is relayed within microseconds instead of waiting for a timer (bench/latency).
import { RingBuffer } from "@honeymesh/bpf/ringbuf";

declare const self: Worker;

let stopping = false;

self.onmessage = (e: MessageEvent<{ fd: number } | "stop">) => {
  if (e.data === "stop") {
    stopping = true;
    return;
  }
  const ring = new RingBuffer(e.data.fd, (rec) => postMessage(rec));
  const loop = () => {
    if (stopping) {
      ring.close();
      postMessage("stopped");
      return;
    }
    try {
      ring.poll(1000);
    } catch (err) {
      postMessage({ error: (err as Error).message });
    }
    // Yield so a "stop" message can be seen between polls.
    setTimeout(loop, 0);
  };
  loop();
};
