/**
 * Generates the TypeScript view of the kernel ABI from its one source,
 * bpf/honeymesh.h: integer #defines are read from the header, struct sizes
 * and field offsets from the BTF that clang wrote into the built object
 * (so they are the compiler's layout, padding included, not a hand copy).
 * Pure function of (header text, `bpftool -j btf dump file ... format raw`).
 */

/** Structs shared with userspace; each must be present in the object's BTF. */
export const ABI_STRUCTS = ["hm_ban", "hm_config", "hm_lpm_v4", "hm_lpm_v6", "hm_scan_state", "hm_scan_event", "hm_counters_val", "hm_guard_config", "hm_guard_state", "hm_guard_event", "hm_guard_counters_val"] as const;
export type AbiStruct = (typeof ABI_STRUCTS)[number];

export interface BtfType {
  id: number;
  kind: string;
  name: string;
  size?: number;
  type_id?: number;
  nr_elems?: number;
  members?: Array<{ name: string; type_id: number; bits_offset: number; bitfield_size?: number }>;
}

export interface FieldLayout {
  offset: number;
  /** Byte size of the whole member (an array's total). */
  size: number;
  /** Element count for arrays, 1 otherwise. */
  count: number;
}
export interface StructLayout {
  name: string;
  size: number;
  fields: Record<string, FieldLayout>;
}

export class AbiGenError extends Error {
  readonly code = "abi_gen" as const;
}

/** `#define HM_X <integer expression>` lines; other defines (macros, strings) are ignored. */
export function parseDefines(header: string): Map<string, number | bigint> {
  const out = new Map<string, number | bigint>();
  for (const m of header.matchAll(/^#define\s+(HM_\w+)\s+([^/\n]+?)\s*(?:\/\*.*)?$/gm)) {
    const expr = m[2]!.replace(/(\d+)(?:ULL|UL|LL|U|L)\b/gi, "$1");
    // Only digits, spaces, parentheses and * + - << : safe to evaluate as BigInt arithmetic.
    if (!/^[\d\s()*+\-<]+$/.test(expr)) continue;
    const v = Function(`"use strict"; return (${expr.replace(/\d+/g, "$&n")});`)() as bigint;
    out.set(m[1]!, v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  }
  return out;
}

export function structLayouts(btf: { types: BtfType[] }): Map<string, StructLayout> {
  const byId = new Map(btf.types.map((t) => [t.id, t]));
  const sizeOf = (id: number): { size: number; count: number } => {
    const t = byId.get(id);
    if (!t) throw new AbiGenError(`BTF type ${id} missing`);
    switch (t.kind) {
      case "INT":
      case "STRUCT":
      case "UNION":
      case "ENUM":
        return { size: t.size!, count: 1 };
      case "TYPEDEF":
      case "CONST":
      case "VOLATILE":
        return sizeOf(t.type_id!);
      case "ARRAY": {
        const e = sizeOf(t.type_id!);
        return { size: e.size * t.nr_elems!, count: t.nr_elems! };
      }
      default:
        throw new AbiGenError(`unsupported BTF kind ${t.kind} in an ABI struct`);
    }
  };
  const out = new Map<string, StructLayout>();
  for (const t of btf.types) {
    if (t.kind !== "STRUCT" || !(ABI_STRUCTS as readonly string[]).includes(t.name)) continue;
    const fields: Record<string, FieldLayout> = {};
    for (const m of t.members ?? []) {
      if (m.bitfield_size || m.bits_offset % 8) throw new AbiGenError(`${t.name}.${m.name}: bitfields are not part of the ABI`);
      fields[m.name] = { offset: m.bits_offset / 8, ...sizeOf(m.type_id) };
    }
    out.set(t.name, { name: t.name, size: t.size!, fields });
  }
  for (const s of ABI_STRUCTS) if (!out.has(s)) throw new AbiGenError(`struct ${s} is not in the object's BTF (is it used by the program?)`);
  return out;
}

const lit = (v: number | bigint) => (typeof v === "bigint" ? `${v}n` : String(v));

/** The generated module's text; byte-for-byte stable for the same inputs. */
export function generateAbiModule(header: string, btf: { types: BtfType[] }): string {
  const defs = parseDefines(header);
  const structs = structLayouts(btf);
  const lines = [
    "/*",
    " * GENERATED from bpf/honeymesh.h (#defines) and the BTF of bpf/build/honeymesh.bpf.o",
    " * (struct sizes and field offsets) by scripts/kernel-abi. Do not edit: run `make -C bpf abi`.",
    " * services/enforcerd/src/kernel/abi.test.ts fails when this file is stale.",
    " */",
    "",
    "/** Integer #defines of bpf/honeymesh.h without the HM_ prefix (counter slots are in CNT). */",
    "export const HM = {",
  ];
  for (const [k, v] of defs) if (!k.startsWith("HM_CNT_")) lines.push(`  ${k.slice(3)}: ${lit(v)},`);
  lines.push("} as const;", "", "/** hm_counters slots (HM_CNT_*): index of a u64 in struct hm_counters_val, per CPU. */", "export const CNT = {");
  for (const [k, v] of defs) if (k.startsWith("HM_CNT_")) lines.push(`  ${k.slice(7)}: ${lit(v)},`);
  lines.push("} as const;", "");
  for (const name of ABI_STRUCTS) {
    const s = structs.get(name)!;
    lines.push(`/** struct ${name}: ${s.size} bytes. OFF = byte offset of each field, LEN = element count of array fields. */`);
    lines.push(`export const ${name.toUpperCase()} = {`, `  SIZE: ${s.size},`, "  OFF: {");
    for (const [f, l] of Object.entries(s.fields)) lines.push(`    ${f}: ${l.offset},`);
    const arrays = Object.entries(s.fields).filter(([, l]) => l.count > 1);
    lines.push("  },", arrays.length ? "  LEN: {" : "  LEN: {},");
    for (const [f, l] of arrays) lines.push(`    ${f}: ${l.count},`);
    lines.push(...(arrays.length ? ["  },"] : []), "} as const;", "");
  }
  return lines.join("\n");
}
