import type { Pointer } from "bun:ffi";
import { lib } from "./errors.ts";

/** A libbpf bpf_link: the program stays attached until destroy() (or this process exits). */
export class BpfLink {
  #link: Pointer | null;

  constructor(
    link: Pointer,
    readonly program: string,
  ) {
    this.#link = link;
  }

  get attached(): boolean {
    return this.#link !== null;
  }

  destroy(): void {
    if (this.#link === null) return;
    lib().bpf_link__destroy(this.#link);
    this.#link = null;
  }
}
