/**
 * A BPF ELF object opened and loaded through libbpf. With `pinRoot`, maps
 * declared with LIBBPF_PIN_BY_NAME are reused from <pinRoot>/<map name> when
 * they exist and compatible, else created and pinned there on load.
 */
import type { Pointer } from "bun:ffi";
import { BpfError, check, lib } from "./errors.ts";
import { BpfLink } from "./link.ts";
import { BpfMap } from "./map.ts";
import { cString, addrOf, optsStruct } from "./native.ts";

export interface OpenOptions {
  /** bpffs directory for LIBBPF_PIN_BY_NAME maps (default /sys/fs/bpf). */
  pinRoot?: string;
}

export class BpfObject {
  #obj: Pointer | null;
  readonly #maps = new Map<string, BpfMap>();

  private constructor(
    obj: Pointer,
    readonly path: string,
  ) {
    this.#obj = obj;
  }

  /** bpf_object__open_file with bpf_object_open_opts.pin_root_path (offset 24). */
  static open(path: string, opts: OpenOptions = {}): BpfObject {
    const l = lib();
    const pin = opts.pinRoot ? cString(opts.pinRoot) : null;
    const o = optsStruct(80);
    o.view.setBigUint64(24, addrOf(pin), true);
    const obj = l.bpf_object__open_file(cString(path), o.bytes) as Pointer | null;
    if (!obj) throw BpfError.fromErrno(`opening BPF object ${path}`, Number(l.libbpf_get_error(null)));
    return new BpfObject(obj, path);
  }

  get #handle(): Pointer {
    if (this.#obj === null) throw new BpfError("CLOSED", 0, `BPF object ${this.path} is closed.`);
    return this.#obj;
  }

  #program(name: string): Pointer {
    const p = lib().bpf_object__find_program_by_name(this.#handle, cString(name)) as Pointer | null;
    if (!p) throw new BpfError("NO_SUCH_PROGRAM", 0, `Program ${name} is not in ${this.path}.`);
    return p;
  }

  /** Before load(): whether the program is loaded with the object (libbpf loads all by default). */
  setAutoload(name: string, on: boolean): this {
    check(`autoload of program ${name}`, lib().bpf_program__set_autoload(this.#program(name), on));
    return this;
  }

  /**
   * Attaches a loaded program where its section name says (tp_btf/…, tracepoint/…) and returns
   * the link; the attachment lasts while the link is open (this process, unless pinned).
   */
  attach(name: string): BpfLink {
    const l = lib();
    const link = l.bpf_program__attach(this.#program(name)) as Pointer | null;
    if (!link) throw BpfError.fromErrno(`attaching program ${name}`, Number(l.libbpf_get_error(null)));
    return new BpfLink(link, name);
  }

  /** Creates/reuses maps, relocates and verifies every program. */
  load(): this {
    check(`loading BPF object ${this.path}`, lib().bpf_object__load(this.#handle));
    return this;
  }

  programFd(name: string): number {
    const p = lib().bpf_object__find_program_by_name(this.#handle, cString(name));
    if (!p) throw new BpfError("NO_SUCH_PROGRAM", 0, `Program ${name} is not in ${this.path}.`);
    return check(`fd of program ${name}`, lib().bpf_program__fd(p));
  }

  /** A loaded map by name; its fd belongs to the object. */
  map(name: string): BpfMap {
    const cached = this.#maps.get(name);
    if (cached) return cached;
    const m = lib().bpf_object__find_map_by_name(this.#handle, cString(name));
    if (!m) throw new BpfError("NO_SUCH_MAP", 0, `Map ${name} is not in ${this.path}.`);
    const map = new BpfMap(check(`fd of map ${name}`, lib().bpf_map__fd(m)), false);
    this.#maps.set(name, map);
    return map;
  }

  /** Closes program and map fds. Pinned maps and netlink-attached XDP programs stay in the kernel. */
  close(): void {
    if (this.#obj === null) return;
    for (const m of this.#maps.values()) m.close();
    this.#maps.clear();
    lib().bpf_object__close(this.#obj);
    this.#obj = null;
  }
}
