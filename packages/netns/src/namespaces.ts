/**
 * Namespace lifecycle shared by pairs and bridges: run iproute2, create and delete namespaces,
 * and remove at process exit (or on SIGINT/SIGTERM) whatever a crashed test or demo left.
 */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const live = new Set<string>();

export function sh(argv: string[]): RunResult {
  const p = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode ?? -1, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

export function must(argv: string[]): void {
  const r = sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (${r.code}): ${r.stderr.trim()}`);
}

export function addNs(ns: string): void {
  hookExit();
  must(["ip", "netns", "add", ns]);
  live.add(ns);
}

export function deleteNs(ns: string): void {
  sh(["ip", "netns", "del", ns]);
  live.delete(ns);
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => [...live].forEach(deleteNs));
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      [...live].forEach(deleteNs);
      process.exit(130);
    });
  }
}

/** argv run inside a namespace; nsenter keeps the host's /sys (bpffs), `ip netns exec` would not. */
export function nsArgv(ns: string, argv: string[]): string[] {
  return ["nsenter", `--net=/run/netns/${ns}`, "--", ...argv];
}

export async function runIn(ns: string, argv: string[], timeoutMs = 30_000): Promise<RunResult> {
  const p = Bun.spawn(nsArgv(ns, argv), { stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
