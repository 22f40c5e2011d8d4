/**
 * Calls `onValue` for every JSON line of a byte stream, in order; lines that are not JSON are
 * skipped. Bounded: a line longer than `maxLineBytes` is dropped rather than buffered forever.
 */
export async function readJsonLines<T>(stream: ReadableStream<Uint8Array>, onValue: (v: T) => void, maxLineBytes = 1 << 20): Promise<void> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of stream) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        onValue(JSON.parse(line) as T);
      } catch {
        // not a JSON line: someone else's output
      }
    }
    if (buf.length > maxLineBytes) buf = "";
  }
}
