export type ExportFormat = "json" | "csv" | "ndjson";

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (fields: unknown[]) => fields.map(csvField).join(",");

export const CONTENT_TYPE: Record<ExportFormat, string> = {
  json: "application/json",
  csv: "text/csv; charset=utf-8; header=present",
  ndjson: "application/x-ndjson",
};

export interface ExportPage<K> {
  /** Rows already serialized for the format: JSON objects, or CSV lines without the CRLF. */
  lines: string[];
  /** Key to continue after; undefined on the last page. */
  last: K | undefined;
  /** CSV header line, taken from the first page that has one. */
  header?: string;
}

/**
 * Streams a keyset-paginated source in the chosen format. One page is read per pull, and pulls
 * happen only as the client drains the response, so a million rows never sit in memory: one
 * page plus the socket's buffer at most.
 */
export function exportStream<K>(opts: { format: ExportFormat; page: (after: K | undefined) => ExportPage<K>; onDone?: (rows: number) => void }): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let after: K | undefined;
  let started = false;
  let headerSent = false;
  let count = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const p = opts.page(after);
        let out = "";
        if (!started) {
          started = true;
          if (opts.format === "json") out += "[";
        }
        if (opts.format === "csv" && !headerSent && p.header !== undefined) {
          headerSent = true;
          out += `${p.header}\r\n`;
        }
        if (p.lines.length > 0) {
          if (opts.format === "ndjson") out += `${p.lines.join("\n")}\n`;
          else if (opts.format === "csv") out += `${p.lines.join("\r\n")}\r\n`;
          else out += `${count > 0 ? ",\n" : "\n"}${p.lines.join(",\n")}`;
          count += p.lines.length;
        }
        if (p.lines.length === 0 || p.last === undefined) {
          if (opts.format === "json") out += count > 0 ? "\n]\n" : "]\n";
          if (out) controller.enqueue(enc.encode(out));
          controller.close();
          opts.onDone?.(count);
          return;
        }
        after = p.last;
        controller.enqueue(enc.encode(out));
      },
    },
    { highWaterMark: 1 },
  );
}
