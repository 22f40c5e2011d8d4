import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Calls `line(buf, start, end)` for every line of a file, reading it in 1 MiB chunks: a 20 MiB
 * range file is never held whole (the node's memory goal), and the event loop runs between
 * chunks (a service loading it goes on answering). A line longer than a chunk is skipped and
 * counted in the return value (none is in the shipped files; a damaged file must not grow the
 * buffer without bound).
 */
export async function forEachLine(path: string, line: (buf: Buffer, start: number, end: number) => void): Promise<{ lines: number; overlong: number }> {
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(CHUNK);
  let have = 0;
  let lines = 0;
  let overlong = 0;
  // Inside an overlong line: its bytes are skipped up to the next newline.
  let skipping = false;
  try {
    for (;;) {
      const n = readSync(fd, buf, have, CHUNK - have, null);
      const end = have + n;
      let s = 0;
      for (let i = have; i < end; i++) {
        if (buf[i] !== 10) continue;
        const e = i > s && buf[i - 1] === 13 ? i - 1 : i;
        if (skipping) skipping = false;
        else if (e > s) line(buf, s, e), lines++;
        s = i + 1;
      }
      if (n === 0) {
        if (end > s && !skipping) line(buf, s, end), lines++;
        break;
      }
      if (s === 0 && end === CHUNK) {
        if (!skipping) overlong++;
        skipping = true;
        have = 0;
        await tick();
        continue;
      }
      buf.copy(buf, 0, s, end);
      have = end - s;
      await tick();
    }
  } finally {
    closeSync(fd);
  }
  return { lines, overlong };
}
