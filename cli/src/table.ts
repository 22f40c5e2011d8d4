/** A plain text table; bold header when writing to a terminal. */
export function renderTable(headers: string[], rows: string[][], tty = Boolean(process.stdout.isTTY)): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const head = line(headers);
  return [tty ? `\x1b[1m${head}\x1b[0m` : head, ...rows.map(line)].join("\n") + "\n";
}
