import { expect, test } from "bun:test";
import { readJsonLines } from "./read.ts";

test("values in order across chunk boundaries; junk and overlong lines skipped", async () => {
  const parts = ['{"a":1}\n{"a"', ":2}\nnot json\n", "x".repeat(50), '\n{"a":3}\n'];
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
  const got: { a: number }[] = [];
  await readJsonLines<{ a: number }>(stream, (v) => got.push(v), 20);
  expect(got.map((g) => g.a)).toEqual([1, 2, 3]);
});
