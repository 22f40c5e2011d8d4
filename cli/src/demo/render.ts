import { reasonNames } from "@honeymesh/ban/reasons";

const tty = Boolean(process.stdout.isTTY);
const paint = (code: number, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = (s: string) => paint(1, s);
export const dim = (s: string) => paint(2, s);
export const red = (s: string) => paint(31, s);
export const green = (s: string) => paint(32, s);
export const yellow = (s: string) => paint(33, s);
export const cyan = (s: string) => paint(36, s);
export const magenta = (s: string) => paint(35, s);

const t0 = Date.now();
const clock = () => dim(`+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`);

export function say(text: string): void {
  process.stdout.write(`${clock()}  ${text}\n`);
}

export function step(n: number, text: string): void {
  process.stdout.write(`\n${bold(cyan(`── ${n}. ${text}`))}\n`);
}

type Body = Record<string, unknown>;

/** One line per interesting bus event; health and repeats stay quiet. */
export function renderEvent(topic: string, d: Body): string | undefined {
  const kind = topic.split("/")[3];
  switch (kind) {
    case "hit":
      return `${yellow("[trap]")}     ${d.src} touched ${bold(String(d.service))} on port ${d.dst_port}`;
    case "session": {
      const creds = (d.credentials as { username: string; password?: string }[]) ?? [];
      const shown = creds.slice(0, 3).map((c) => `${c.username}/${c.password ?? "<key>"}`).join(", ");
      return `${yellow("[session]")}  ${d.src} on ${d.service}: ${creds.length} credential(s)${shown ? ` (${shown}${creds.length > 3 ? ", …" : ""})` : ""}, entropy ${Number(d.entropy).toFixed(2)}`;
    }
    case "syn":
      return `${magenta("[kernel]")}   XDP saw ${d.src} touch ${d.port_count} ports: ${(d.ports as number[]).slice(0, 8).join(",")}…`;
    case "decision":
      return `${cyan("[decision]")} ${d.action} ${bold(String((d.address as { text?: string } | undefined)?.text))} ${reasonNames(Number(d.reasons)).join("+")} for ${d.ttl_s}s — ${(d.evidence as { summary: string }[])[0]?.summary ?? ""}`;
    case "ban":
      if (d.change === "added" || d.change === "extended")
        return `${red("[ban]")}      ${bold(String((d.address as { text?: string } | undefined)?.text))} ${d.change}: ${reasonNames(Number(d.reasons)).join("+")}, offence ${d.offence}, now dropped in XDP`;
      return `${green("[ban]")}      ${(d.address as { text?: string } | undefined)?.text} ${d.change}`;
    default:
      return undefined;
  }
}
