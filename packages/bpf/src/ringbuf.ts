/**
 * BPF_MAP_TYPE_RINGBUF consumer (libbpf ring_buffer__*). The sample callback
 * is a JSCallback invoked synchronously inside poll()/consume() on the JS
 * thread; each record is copied because libbpf reuses the memory afterwards.
 */
import { JSCallback, FFIType, toArrayBuffer, type Pointer } from "bun:ffi";
import { BpfError, check, lib } from "./errors.ts";

/** Handles one record; returning false stops this poll/consume after it (the caller is out of room). */
export type SampleHandler = (record: Uint8Array) => void | boolean;

export class RingBuffer {
  #rb: Pointer | null;
  readonly #cb: JSCallback;
  #error: unknown;
  #stopped = false;

  constructor(mapFd: number, onSample: SampleHandler) {
    this.#cb = new JSCallback(
      (_ctx: Pointer | null, data: Pointer, size: number | bigint) => {
        try {
          if (onSample(new Uint8Array(toArrayBuffer(data, 0, Number(size)).slice(0))) === false) {
            // libbpf has already advanced past this record: a negative return only ends the loop.
            this.#stopped = true;
            return -1;
          }
          return 0;
        } catch (e) {
          this.#error = e;
          return -1; // stops this poll; the error is rethrown below
        }
      },
      { args: [FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
    );
    const l = lib();
    const rb = l.ring_buffer__new(mapFd, this.#cb.ptr, null, null) as Pointer | null;
    if (!rb) {
      this.#cb.close();
      throw BpfError.fromErrno(`ring_buffer__new(map fd ${mapFd})`, Number(l.libbpf_get_error(null)));
    }
    this.#rb = rb;
  }

  get #handle(): Pointer {
    if (this.#rb === null) throw new BpfError("CLOSED", 0, "Ring buffer is closed.");
    return this.#rb;
  }

  #rethrow(r: number, op: string): number {
    if (this.#stopped) {
      this.#stopped = false;
      return 0;
    }
    if (this.#error !== undefined) {
      const e = this.#error;
      this.#error = undefined;
      throw e;
    }
    return check(op, r);
  }

  /** Waits up to timeoutMs (blocking the JS thread) and handles records; returns how many. */
  poll(timeoutMs: number): number {
    const r = lib().ring_buffer__poll(this.#handle, timeoutMs);
    return this.#rethrow(r === -4 /* EINTR */ ? 0 : r, "ring_buffer__poll");
  }

  /** Handles every record available now without waiting; returns how many. */
  consume(): number {
    return this.#rethrow(lib().ring_buffer__consume(this.#handle), "ring_buffer__consume");
  }

  close(): void {
    if (this.#rb === null) return;
    lib().ring_buffer__free(this.#rb);
    this.#rb = null;
    this.#cb.close();
  }
}
