import { DISTRO_NAME, type Persona } from "./persona.ts";

export const uptimeSeconds = (p: Persona, now: number) => Math.max(1, (now - p.bootAt) / 1000);

export function cpuinfo(p: Persona): string {
  const amd = p.cpuModel.includes("AMD");
  const flags = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch fsgsbase bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap clflushopt xsaveopt xsavec xgetbv1 xsaves arat";
  let out = "";
  for (let i = 0; i < p.cpus; i++) {
    out += `processor\t: ${i}\nvendor_id\t: ${amd ? "AuthenticAMD" : "GenuineIntel"}\ncpu family\t: ${amd ? 25 : 6}\nmodel\t\t: ${amd ? 1 : 85}\nmodel name\t: ${p.cpuModel}\nstepping\t: ${amd ? 1 : 7}\nmicrocode\t: 0x${amd ? "a0011d1" : "5003604"}\ncpu MHz\t\t: ${p.cpuMhz.toFixed(3)}\ncache size\t: ${amd ? "512 KB" : "16384 KB"}\nphysical id\t: 0\nsiblings\t: ${p.cpus}\ncore id\t\t: ${i}\ncpu cores\t: ${p.cpus}\napicid\t\t: ${i}\ninitial apicid\t: ${i}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\nflags\t\t: ${flags}\nbogomips\t: ${(p.cpuMhz * 2).toFixed(2)}\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 40 bits physical, 48 bits virtual\npower management:\n\n`;
  }
  return out;
}

export function memUsage(p: Persona): { total: number; used: number; free: number; shared: number; cache: number; avail: number; swap: number } {
  const total = p.memKb;
  const used = Math.floor(total * 0.21);
  const cache = Math.floor(total * 0.37);
  const shared = Math.floor(total * 0.004);
  const free = total - used - cache;
  return { total, used, free, shared, cache, avail: free + Math.floor(cache * 0.9), swap: p.memKb >= 4_000_000 ? 0 : 1_048_572 };
}

export function meminfo(p: Persona): string {
  const m = memUsage(p);
  const row = (k: string, v: number) => `${`${k}:`.padEnd(16)}${String(v).padStart(8)} kB\n`;
  return row("MemTotal", m.total) + row("MemFree", m.free) + row("MemAvailable", m.avail) + row("Buffers", Math.floor(m.cache / 12)) + row("Cached", m.cache) + row("SwapCached", 0) + row("Active", Math.floor(m.used * 1.2)) + row("Inactive", Math.floor(m.cache * 0.6)) + row("SwapTotal", m.swap) + row("SwapFree", m.swap) + row("Shmem", m.shared);
}

export function unameA(p: Persona): string {
  return `Linux ${p.hostname} ${p.kernel} ${p.kernelBuild} x86_64 GNU/Linux`;
}

export function prettyName(p: Persona): string {
  return DISTRO_NAME[p.distro].pretty;
}
