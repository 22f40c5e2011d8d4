import { evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import type { Finding } from "./types.ts";

/** x86 NOP sled, and byte runs common in public shellcode (execve("/bin//sh"), int 0x80 / syscall stubs). */
const PATTERNS: { name: string; bytes: Uint8Array }[] = [
  { name: "NOP sled", bytes: new Uint8Array(16).fill(0x90) },
  { name: "execve /bin//sh", bytes: new TextEncoder().encode("/bin//sh") },
  { name: "x86 shellcode prologue", bytes: Uint8Array.from([0x31, 0xc0, 0x50, 0x68]) },
  { name: "x86-64 execve stub", bytes: Uint8Array.from([0x48, 0x31, 0xd2, 0x48, 0xbb]) },
];

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Payload entropy above the threshold on enough bytes, or a known shellcode pattern → ENTROPY. */
export function entropyAnomaly(entropy: number, bytesIn: number, sample: Uint8Array, where: { trap: string; port: number }, threshold: number, minBytes: number): Finding | undefined {
  const on = `${where.trap}:${where.port}`;
  const extra = { trap: where.trap, ports: [where.port], count: bytesIn };
  for (const p of PATTERNS) if (contains(sample, p.bytes)) return { reasons: REASONS.ENTROPY, evidence: evidence("entropy", `ENTROPY: ${p.name} in payload on ${on}`, extra) };
  if (bytesIn >= minBytes && entropy >= threshold) return { reasons: REASONS.ENTROPY, evidence: evidence("entropy", `ENTROPY: ${entropy.toFixed(2)} bits/byte over ${bytesIn} bytes on ${on}`, extra) };
  return undefined;
}
