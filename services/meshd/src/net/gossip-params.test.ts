import { expect, test } from "bun:test";
import { gossipParams } from "./gossip-params.ts";

test("every configurable degree gives parameters gossipsub accepts", () => {
  // gossipsub throws at start unless Dlo ≤ D ≤ Dhi and Dout < Dlo and Dout ≤ D / 2.
  for (let d = 3; d <= 12; d++) {
    const g = gossipParams(d, 1000);
    expect(g.Dlo).toBeLessThanOrEqual(g.D);
    expect(g.Dhi).toBeGreaterThanOrEqual(g.D);
    expect(g.Dout).toBeLessThan(g.Dlo);
    expect(g.Dout).toBeLessThanOrEqual(g.D / 2);
    expect(g.Dout).toBeGreaterThanOrEqual(1);
  }
});
